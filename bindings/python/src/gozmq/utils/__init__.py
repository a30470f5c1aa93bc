"""Helpers with pyzmq's module names: z85, monitor, jsonapi, version."""
