variable "project" {
  type    = string
  default = "shop"
}

variable "env" {
  type    = string
  default = "dev"
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "web_count" {
  type    = number
  default = 1
}

variable "web_type" {
  type    = string
  default = "t3.micro"
}

variable "db_password" {
  type      = string
  sensitive = true
}
