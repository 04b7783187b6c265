# tests collect fragment
