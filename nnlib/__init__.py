"""nnlib: a small pure-numpy neural-network library, the code behind the course book."""
