"""The SQS worker: the slow, heavy work (PDFs, email, numbering) behind Step Functions tasks.

Each message carries a Step Functions task token. The worker runs the named task once (the
effect is claimed by key), then answers the token. A failure is re-raised so SQS redelivers the
message; after five tries it lands in the dead-letter queue and the state machine's timeout on
the task takes over. Heavy libraries (reportlab, Pillow) are imported inside the tasks that need
them, never here: this module is also imported by the API Lambda.
"""
