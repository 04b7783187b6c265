# tests actions fragment
