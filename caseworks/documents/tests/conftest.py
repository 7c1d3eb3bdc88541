from caseworks.documents.tests.s3 import moto_endpoint, s3_bucket

__all__ = ["moto_endpoint", "s3_bucket"]
