variable "name" { type = string }
variable "memory_size" {
  type    = number
  default = 128
}

resource "aws_sqs_queue" "jobs" {
  name = "${var.name}-jobs"
}

resource "aws_iam_role" "worker" {
  name               = "${var.name}-worker"
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "worker" {
  function_name = "${var.name}-worker"
  role          = aws_iam_role.worker.arn
  runtime       = "python3.12"
  handler       = "main.handler"
  filename      = "worker.zip"
  memory_size   = var.memory_size
  timeout       = 30
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
}
