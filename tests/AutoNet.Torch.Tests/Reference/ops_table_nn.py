"""PyTorch definitions of the functional and loss cases in Parity/FunctionalCases.cs and LossCases.cs."""
OPS = {}
