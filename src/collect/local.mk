# src collect fragment
