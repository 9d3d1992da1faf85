"""The living tenant: simulated contacts and agent sessions, their history, and the event stream they emit."""
