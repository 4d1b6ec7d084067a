"""Domain rules of Loket: no boto3, no HTTP; pure functions and value objects."""
