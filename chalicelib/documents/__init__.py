"""PDF documents (reportlab). Imported only by the worker: never on the API Lambda's path."""
