env       = "prod"
web_count = 2
web_type  = "t3.small"
