"""Reading a Jekyll site: files, _config.yml, front matter, _data, permalinks, text, documents."""
