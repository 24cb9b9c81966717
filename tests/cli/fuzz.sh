#!/usr/bin/env bash
# Seeded fuzz test: a few hundred generated configs, sweep files, corrupted stores and hostile
# names, each run through geneft. Every case must exit 0 or 2 (no crash, no signal, no internal
# error), within its timeout (no hang), and run no command (no canary file appears).
# Usage: fuzz.sh GENEFT [SEED] [CASES]
set -uo pipefail
geneft=$(realpath "$1")
seed=${2:-11}
cases=${3:-300}
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

"$geneft" train "$repo/examples/liu2022-toy.toml" --db good.db --set train.steps=20 --set train.eval_every=10 \
  --set train.checkpoint_every=1 -q > /dev/null || { echo "setup failed"; exit 1; }
printf '[sweep]\nname = "g"\nbase = "%s"\n[[sweep.axis]]\nkey = "optim.encoder_lr"\nvalues = [1e-3, 1e-2]\n[[sweep.axis]]\nkey = "optim.decoder_lr"\nvalues = [1e-3, 1e-2]\n[train]\nsteps = 20\neval_every = 10\n' \
  "$repo/examples/liu2022-toy.toml" > g.toml
"$geneft" sweep g.toml --db good.db -q > /dev/null 2>&1 || { echo "setup sweep failed"; exit 1; }
"$geneft" train --help-config > keys.md

# The generator writes case files and one command line per case (NUL-separated arguments).
python3 - "$seed" "$cases" "$repo" <<'PY'
import os, random, sqlite3, shutil, sys
seed, cases, repo = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
keys = [l.split('`')[1] for l in open('keys.md') if l.startswith('| `')]
hostile = ['$(touch pwned)', '`touch pwned`', "'; system('touch pwned'); '", '"; system("touch pwned"); "',
           '\n!touch pwned\n', '../../../escaped', '/tmp/escaped', '%s%n', '\\', '', ' ', 'x' * 5000, '\u00e9\u4e2d']
def value():
    r = rng.random()
    if r < 0.15: return str(rng.choice([0, 1, -1, 2, 7, 59, 1000, 10**6, 2**31, 2**63 - 1, -2**63]))
    if r < 0.3: return rng.choice(['0.5', '1e-3', '-0.1', 'nan', 'inf', '-inf', '1e308', '5e-324', '0.0', '1.0'])
    if r < 0.4: return rng.choice(['true', 'false'])
    if r < 0.6: return toml_str(rng.choice(hostile + ['mod_add', 'rel_equiv', 'float64', 'sgd', 'concat', 'relu']))
    if r < 0.7: return '[' + ', '.join(value() for _ in range(rng.randint(0, 3))) + ']'
    if r < 0.8: return '{ a = ' + value() + ' }'
    return rng.choice(['1979-05-27', '"', '[[', '=', '0x10', '1_000', "'''x'''", '"\\u0000"'])
def toml_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'
def key():
    r = rng.random()
    if r < 0.8: return rng.choice(keys)
    if r < 0.9: return rng.choice(keys) + '.extra'
    return rng.choice(['', 'a' * 300, '"quoted key"', 'x.' * 40 + 'y', 'seed.seed', 'sweep'])
def config(lines):
    out = []
    for _ in range(lines):
        out.append(f'{key()} = {value()}')
    return '\n'.join(out) + '\n'
def garbage():
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
os.makedirs('cases', exist_ok=True)
emitted = [0]
def emit(*args):  # one file per case: its arguments, NUL-terminated
    emitted[0] += 1
    open(f'cases/{emitted[0]:05d}', 'wb').write(b''.join((a.encode() if isinstance(a, str) else a) + b'\0' for a in args))
small = ['--set', 'train.steps=3', '--set', 'train.eval_every=1', '-q']
for i in range(cases):
    kind = rng.choice(['config', 'config', 'sweep', 'sweep', 'store', 'store', 'name', 'garbage'])
    if kind == 'config':
        open(f'c{i}.toml', 'w').write(config(rng.randint(1, 8)))
        if rng.random() < 0.5: emit('train', f'c{i}.toml', '--print-config')
        else: emit('train', f'c{i}.toml', '--db', f'c{i}.db', *small)
    elif kind == 'sweep':
        sw = ['[sweep]']
        for f in rng.sample(['name', 'base', 'seeds', 'mode', 'samples', 'random_seed', 'axis', 'phase', 'bogus'], rng.randint(0, 4)):
            sw.append(f'{f} = {value()}')
        for _ in range(rng.randint(0, 2)):
            sw.append('[[sweep.axis]]')
            sw.append(f'key = {toml_str(key())}')
            sw.append(rng.choice(['values', 'range', 'log_range', 'bogus']) + ' = ' +
                      rng.choice(['[1e-3, 1e-2]', '[0.1, 0.9, 3]', '[1e-3, 1e-1, 1000000000]', value()]))
        if rng.random() < 0.5: sw.append('[sweep.phase]\n' + rng.choice(['threshold', 'delta', 'budget', 'x']) + ' = ' + value())
        open(f's{i}.toml', 'w').write('\n'.join(sw) + '\n' + config(rng.randint(0, 3)))
        emit('sweep', f's{i}.toml', '--db', f's{i}.db', '--dry-run', '-q')
    elif kind == 'store':
        shutil.copy('good.db', f'd{i}.db')
        if rng.random() < 0.2:  # bytes flipped in the file
            data = bytearray(open(f'd{i}.db', 'rb').read())
            for _ in range(rng.randint(1, 50)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            open(f'd{i}.db', 'wb').write(bytes(data[:rng.randint(0, len(data))] if rng.random() < 0.3 else data))
        else:
            db = sqlite3.connect(f'd{i}.db')
            table, cols = rng.choice([('runs', ['config', 'task', 'status', 'seed', 'steps_done', 'final_test_acc', 'id']),
                                      ('curves', ['step', 'train_acc', 'test_loss', 'run_id']),
                                      ('embeddings', ['rows', 'cols', 'data', 'step']),
                                      ('checkpoints', ['dtype', 'encoder', 'decoder', 'step']),
                                      ('sweeps', ['definition', 'name']), ('sweep_runs', ['run_id', 'sweep']),
                                      ('llc_traces', ['losses'])])
            v = rng.choice([None, 0, -1, 2**62, -2**62, 1e308, float('nan'), b'\x00', b'', 'x', '{}', '{"axes": 5}',
                            rng.choice(hostile), bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))])
            try:
                db.execute('PRAGMA foreign_keys = OFF')
                db.execute(f'UPDATE {table} SET {rng.choice(cols)} = ?', (v,))
                if rng.random() < 0.1: db.execute(f'PRAGMA user_version = {rng.choice([0, -1, 2, 99, -10**6])}')
                db.commit()
            except sqlite3.Error:
                pass
            db.close()
        run = rng.choice(['0', 'f', 'a', ''])
        emit(*rng.choice([['runs', f'd{i}.db'], ['export', f'd{i}.db', '--sweep', 'g', '-o', f'o{i}.csv'],
                          ['export', f'd{i}.db', '--run', run, '--format', 'json', '--embeddings', '-o', f'o{i}.json'],
                          ['curves', f'd{i}.db', '--run', run, '-o', f'fig{i}'],
                          ['embeddings', f'd{i}.db', '--run', run, '-o', f'fig{i}'],
                          ['phase', f'd{i}.db', '--sweep', 'g', '-o', f'fig{i}'],
                          ['merge', f'm{i}.db', f'd{i}.db'], ['merge', f'd{i}.db', 'good.db'],
                          ['llc-calibrate', f'd{i}.db', '--run', run, '--epsilons', '1e-4', '--nbetas', '10',
                           '--chains', '1', '--draws', '3', '--burn-in', '3', '--figure', f'fig{i}/cal']]))
    elif kind == 'name':
        name = rng.choice(hostile)
        if name:
            open(f'n{i}.toml', 'w').write(f'[sweep]\nname = {toml_str(name)}\nbase = "{repo}/examples/liu2022-toy.toml"\n'
                                          '[[sweep.axis]]\nkey = "optim.encoder_lr"\nvalues = [1e-3, 1e-2]\n[[sweep.axis]]\n'
                                          'key = "optim.decoder_lr"\nvalues = [1e-3, 1e-2]\n[train]\nsteps = 20\neval_every = 10\n')
            emit('sweep', f'n{i}.toml', '--db', 'good.db', '-q')
        emit('phase', 'good.db', '--sweep', name, '-o', f'fig{i}')
    else:
        open(f'x{i}.toml', 'wb').write(garbage())
        emit(*rng.choice([['train'], ['sweep'], ['theory', 'datasize']]), f'x{i}.toml', '--db', f'x{i}.db')
PY

count=0 bad=0 slowest=0
for case_file in cases/*; do
  mapfile -d '' -t args < "$case_file"
  count=$((count + 1))
  t0=$(date +%s%N)
  out=$(timeout 20 "$geneft" "${args[@]}" 2>&1 < /dev/null)
  rc=$?
  t=$((($(date +%s%N) - t0) / 1000000))
  [ $t -gt $slowest ] && slowest=$t
  if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
    bad=$((bad + 1))
    echo "FAIL case $count (exit $rc$([ $rc -eq 124 ] && echo ': a hang')): geneft ${args[*]:0:6} ($work/$case_file)"
    echo "$out" | tail -3 | cut -c1-300 | sed 's/^/    /'
  fi
done
pwned=$(find "$work" /tmp -maxdepth 3 -name 'pwned*' -newer "$work/keys.md" 2> /dev/null)
escaped=$(find /tmp -maxdepth 1 -name 'escaped*' -newer "$work/keys.md" 2> /dev/null; find "$(dirname "$work")" -maxdepth 2 -name 'escaped*' -newer "$work/keys.md" 2> /dev/null)
[ -z "$pwned" ] || { bad=$((bad + 1)); echo "FAIL a command ran: $pwned"; }
[ -z "$escaped" ] || { bad=$((bad + 1)); echo "FAIL written outside the output folder: $escaped"; }
echo "fuzz (seed $seed): $count cases, $bad failures, slowest case $slowest ms"
[ $bad -eq 0 ]
