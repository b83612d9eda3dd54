"""Reading articles: files and text → sentences → tokens, the tagged corpus and its cache."""
