# src actions fragment
