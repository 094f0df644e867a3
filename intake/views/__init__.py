"""HTML pages, one module per thing shown; each view validates, calls one domain function and renders."""
