#!/bin/sh
# Vendor the State's design system (DSFR) under searchweb/static/dsfr/: `make dsfr DSFR_VERSION=1.15.3`.
# Takes the official npm package (npm pack: the registry's tarball, checked against its integrity
# hash by npm) and keeps only what the pages load: the compiled CSS and JS, the fonts
# (woff2: every browser the DSFR supports reads it), two icon utility sheets and every icon those
# sheets reference, all byte for byte (no source maps). Nothing is built; running it twice with the same version gives the same files.
set -eu
version=${1:?"usage: $0 VERSION (e.g. 1.15.3)"}
dest=searchweb/static/dsfr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@gouvfr/dsfr@$version" >/dev/null && tar xzf "gouvfr-dsfr-$version.tgz")
dist="$work/package/dist"
# The stylesheets kept, relative to dist/ (their icon and font URLs are relative to them).
sheets="dsfr.min.css utility/icons/icons-system/icons-system.min.css utility/icons/icons-arrows/icons-arrows.min.css"

find "$dest" -mindepth 1 ! -name README.md -delete 2>/dev/null || true
mkdir -p "$dest/fonts"
cp "$work/package/LICENSE.md" "$dist/dsfr.module.min.js" "$dist/dsfr.nomodule.min.js" "$dest/"
cp "$dist"/fonts/*.woff2 "$dest/fonts/"
for sheet in $sheets; do
    mkdir -p "$dest/$(dirname "$sheet")"
    cp "$dist/$sheet" "$dest/$sheet"
    grep -o 'url([^)"'\'']*\.svg)' "$dist/$sheet" | sed 's/^url(//; s/)$//' | sort -u | while read -r icon; do
        source=$(realpath -m "$dist/$(dirname "$sheet")/$icon")
        target="$dest/${source#"$dist"/}"
        mkdir -p "$(dirname "$target")"
        cp "$source" "$target"
    done
done
sed -i "s/^Version : .*/Version : $version/" "$dest/README.md" 2>/dev/null || true
du -sh "$dest"
