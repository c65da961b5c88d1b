# Where the deployment checks keep their results. Source it after setting ROOT.
#
# A check run, as ./ricochet test and CI run it, must leave the work tree as it found it: its
# result goes to target/deploy/ (ignored by git). Only a run asked to publish (the script's
# --publish option, run on purpose to commit the result) also replaces the committed copy in
# deploy/results/, which the docs quote.

# save_result NAME PUBLISH: writes standard input to target/deploy/NAME and, when PUBLISH is
# "publish", to deploy/results/NAME too; prints where it went.
save_result() {
    local name="$1" publish="$2" file
    file="$ROOT/target/deploy/$name"
    mkdir -p "$(dirname "$file")"
    cat > "$file"
    if [[ "$publish" == publish ]]; then
        mkdir -p "$ROOT/deploy/results"
        cp "$file" "$ROOT/deploy/results/$name"
        echo "target/deploy/$name, published to deploy/results/$name"
    else
        echo "target/deploy/$name"
    fi
}
