"""Signing keys, token minting and verification, the scope/role policy table and the guard."""
