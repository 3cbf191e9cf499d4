"""Evaluation against labelled corpora: clustering metrics, dataset loaders, baselines."""
