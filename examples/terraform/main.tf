# A small web service on AWS: two instances behind an HTTP API, a Lambda worker fed by a queue (in a local
# module), a bucket and a database. `infrafit import terraform examples/terraform` turns it into a plan.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name = "${var.project}-${var.env}"
  tags = { Project = var.project, Env = var.env }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = local.tags
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "${var.region}a"
}

resource "aws_security_group" "web" {
  name   = "${local.name}-web"
  vpc_id = aws_vpc.main.id
}

resource "aws_instance" "web" {
  count         = var.web_count
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = var.web_type
  subnet_id     = aws_subnet.public.id

  tags = merge(local.tags, { Name = "${local.name}-web-${count.index}" })
}

resource "aws_apigatewayv2_api" "http" {
  name          = "${local.name}-api"
  protocol_type = "HTTP"
}

resource "aws_s3_bucket" "assets" {
  bucket = "${local.name}-assets"
}

resource "aws_db_instance" "db" {
  identifier        = "${local.name}-db"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}

resource "aws_nat_gateway" "nat" {
  subnet_id = aws_subnet.public.id
}

module "worker" {
  source      = "./modules/worker"
  name        = local.name
  memory_size = 512
}
