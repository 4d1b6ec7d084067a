"""Adapters: the only code that talks to AWS (DynamoDB, S3, SQS, Step Functions, SES, Cognito)."""
