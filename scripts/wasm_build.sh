#!/usr/bin/env bash
# Splits the app's WebAssembly so that what the first page does not need is fetched only
# when first used (a post_build hook, see Trunk.toml).
#
# Trunk builds the `dblab` binary with cargo (keeping its relocations: .cargo/config.toml
# passes -Clink-args=--emit-relocs) and writes dblab-<hash>.js and dblab-<hash>_bg.wasm, unsplit
# and unoptimised (index.html: data-wasm-opt="0"). This hook then makes those two files again
# from cargo's output:
#
#   1. wasm-split-cli cuts the wasm at its split points (`#[lazy]` functions: the console) into
#      the main module, one chunk per split point, and the loader that fetches a chunk;
#   2. wasm-bindgen makes the main module's JavaScript, keeping the exports the chunks use;
#   3. wasm-opt -Oz shrinks each module (release builds);
#   4. the files take Trunk's names, and the loader and the chunks the same hash:
#      split-<hash>.js, console-<hash>.wasm. The service worker (public/sw.js) keeps a
#      build's files together by that hash.
#
# Trunk's tags in index.html stay right (its Trunk.toml sets no_sri: the bytes differ from
# what Trunk wrote).
#
#   wasm_build.sh STAGING_DIR      (TRUNK_PROFILE=debug: cargo's debug build, no wasm-opt)
set -euo pipefail

# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

staging="${1:?usage: wasm_build.sh STAGING_DIR}"
profile="${TRUNK_PROFILE:-release}"
work="$CARGO_TARGET_DIR/wasm-split/$profile"
rm -rf "$work"
mkdir -p "$work/split" "$work/bindgen"

# The names Trunk gave this build's files.
trunk_wasm="$(cd "$staging" && ls dblab-*_bg.wasm)"
[ "$(printf '%s\n' "$trunk_wasm" | wc -l)" = 1 ] || die "expected one dblab-*_bg.wasm in $staging"
stem="${trunk_wasm%_bg.wasm}"
hash="${stem#dblab-}"

wasm-split-cli "$CARGO_TARGET_DIR/$WASM_TARGET/$profile/dblab.wasm" "$work/split" --out-name "$stem"
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
    --out-dir "$work/bindgen" --out-name "$stem" "$work/split/$stem.wasm"

optimize() { # optimize IN OUT
    if [ "$profile" = release ]; then wasm-opt -Oz --output "$2" "$1"; else cp "$1" "$2"; fi
}
optimize "$work/bindgen/${stem}_bg.wasm" "$staging/${stem}_bg.wasm"
loader="$(cat "$work/split/__wasm_split.js")"
chunks=0
for chunk in "$work"/split/*.wasm; do
    file="$(basename "$chunk")"
    [ "$file" != "$stem.wasm" ] || continue
    # split_console.wasm → console-<hash>.wasm; chunk_3.wasm (code two split points share) →
    # chunk_3-<hash>.wasm; a `#[lazy]` function's module is named after the function and a
    # long number (split_console_page_3486021872670816169.wasm → console_page-<hash>.wasm).
    name="${file#split_}"
    name="${name%.wasm}"
    [[ "$name" =~ ^(.*)_[0-9]{6,}$ ]] && name="${BASH_REMATCH[1]}"
    name="$name-$hash.wasm"
    optimize "$chunk" "$staging/$name"
    loader="${loader//"./$file"/"./$name"}"
    chunks=$((chunks + 1))
done
printf '%s\n' "$loader" > "$staging/split-$hash.js"
sed "/^import /s#\"\\./__wasm_split\\.js\"#\"./split-$hash.js\"#" "$work/bindgen/$stem.js" > "$staging/$stem.js"
grep -q "\"./split-$hash.js\"" "$staging/$stem.js" || die "$stem.js does not import the chunk loader"
log "wasm: $stem, main $(stat -c %s "$staging/${stem}_bg.wasm") bytes, $chunks chunk(s) loaded on first use"
