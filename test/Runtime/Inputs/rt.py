#!/usr/bin/env python3
"""Inputs and checkers for the runtime tests (test/Runtime/*.test).

Standard library only (the test python has no numpy): .npy and safetensors
files are written and read with struct and json. Usage: rt.py COMMAND ARGS;
see the functions named cmd_<command> below.
"""
import json
import math
import os
import random
import struct
import subprocess
import sys

# The fake model (test/Runtime/FakeModel.cpp): pred = scale * (x @ W^T + b).
IN, OUT = 3, 2
TRUE_W = [[1.0, -2.0, 0.5], [0.3, 0.8, -1.0]]
TRUE_B = [0.5, -0.25]

NPY_CODES = {'<f4': 'f', '<f8': 'd', '<i4': 'i', '<i8': 'q'}
ST_CODES = {'F32': 'f', 'F64': 'd', 'I32': 'i', 'I64': 'q', 'F16': 'e'}


def fail(msg):
    sys.stderr.write('rt.py: ' + msg + '\n')
    sys.exit(2)


# --- .npy ---------------------------------------------------------------------

def py_shape(shape):
    if len(shape) == 1:
        return '(%d,)' % shape[0]
    return '(' + ', '.join(str(d) for d in shape) + ')'


def npy_bytes(values, shape, descr='<f4', fortran=False, header=None, data=None):
    if header is None:
        header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
            descr, fortran, py_shape(shape))
    total = 10 + len(header) + 1
    header += ' ' * ((64 - total % 64) % 64) + '\n'
    if data is None:
        data = struct.pack('<%d%s' % (len(values), NPY_CODES[descr]), *values)
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode() + data


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def read_npy(path):
    with open(path, 'rb') as f:
        raw = f.read()
    if raw[:6] != b'\x93NUMPY':
        fail('%s: bad magic' % path)
    if raw[6] == 1:
        hlen = struct.unpack('<H', raw[8:10])[0]
        start = 10
    else:
        hlen = struct.unpack('<I', raw[8:12])[0]
        start = 12
    header = eval(raw[start:start + hlen].decode('latin1'))  # a python literal
    if (start + hlen) % 64:
        fail('%s: data not 64-byte aligned' % path)
    shape = header['shape']
    n = 1
    for d in shape:
        n *= d
    code = NPY_CODES[header['descr']]
    data = raw[start + hlen:]
    if len(data) != n * struct.calcsize(code):
        fail('%s: %d data bytes for shape %s' % (path, len(data), shape))
    return header, list(struct.unpack('<%d%s' % (n, code), data))


# --- safetensors ---------------------------------------------------------------

def st_bytes(tensors, metadata=None, header_text=None, data=None):
    """tensors: [(name, dtype, shape, values)], packed back to back."""
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header['__metadata__'] = metadata
    for name, dtype, shape, values in tensors:
        blob = struct.pack('<%d%s' % (len(values), ST_CODES[dtype]), *values)
        header[name] = {'dtype': dtype, 'shape': shape,
                        'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = header_text if header_text is not None else json.dumps(header)
    text += ' ' * ((8 - len(text) % 8) % 8)
    if data is None:
        data = b''.join(blobs)
    return struct.pack('<Q', len(text)) + text.encode() + data


def read_st(path):
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    if n % 8:
        fail('%s: header length %d is not a multiple of 8' % (path, n))
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors = {}
    end = 0
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        b, e = entry['data_offsets']
        count = 1
        for d in entry['shape']:
            count *= d
        code = ST_CODES[entry['dtype']]
        if e - b != count * struct.calcsize(code):
            fail('%s: %s: size mismatch' % (path, name))
        tensors[name] = (entry['dtype'], entry['shape'],
                         list(struct.unpack('<%d%s' % (count, code), data[b:e])))
        end = max(end, e)
    if end != len(data):
        fail('%s: %d data bytes, tensors end at %d' % (path, len(data), end))
    return header.get('__metadata__', {}), tensors


# --- the fake model in python --------------------------------------------------

def make_xy(n, seed=1234):
    rng = random.Random(seed)
    x = [[rng.uniform(-1, 1) for _ in range(IN)] for _ in range(n)]
    y = [[sum(r[i] * TRUE_W[o][i] for i in range(IN)) + TRUE_B[o] for o in range(OUT)]
         for r in x]
    return x, y


def f32(v):
    return struct.unpack('<f', struct.pack('<f', v))[0]


def forward(params, x):
    w, b, s = params['linear.weight'][2], params['linear.bias'][2], params['scale'][2][0]
    return [[s * (b[o] + sum(r[i] * w[o * IN + i] for i in range(IN))) for o in range(OUT)]
            for r in x]


def flat(rows):
    return [v for r in rows for v in r]


def rows(values, width):
    return [values[i:i + width] for i in range(0, len(values), width)]


def close(a, b, rel=1e-5, abs_=1e-6):
    return abs(a - b) <= abs_ + rel * abs(b)


# --- commands ------------------------------------------------------------------

def cmd_data(out, n='10'):
    """Training data: x.npy f32[N,3], y.npy f32[N,2] (y = x W^T + b), and the same
    as x64.npy (float64), xi.npy (int32), x.csv (with a header row), y.csv."""
    n = int(n)
    x, y = make_xy(n)
    write(os.path.join(out, 'x.npy'), npy_bytes(flat(x), [n, IN]))
    write(os.path.join(out, 'y.npy'), npy_bytes(flat(y), [n, OUT]))
    write(os.path.join(out, 'x64.npy'), npy_bytes(flat(x), [n, IN], '<f8'))
    write(os.path.join(out, 'xi.npy'),
          npy_bytes([int(v * 10) for v in flat(x)], [n, IN], '<i4'))
    with open(os.path.join(out, 'x.csv'), 'w') as f:
        f.write('a,b,c\n')
        for r in x:
            f.write(','.join(repr(f32(v)) for v in r) + '\n')
    with open(os.path.join(out, 'y.csv'), 'w') as f:
        for r in y:
            f.write(', '.join(repr(f32(v)) for v in r) + '\r\n')


def cmd_bad_data(out):
    """Malformed .npy and .csv inputs for x (f32[N, 3]) and y."""
    x, y = make_xy(10)
    good = npy_bytes(flat(x), [10, IN])
    p = lambda name: os.path.join(out, name)
    write(p('truncated.npy'), good[:-5])
    write(p('magic.npy'), b'\x93NUMPX' + good[6:])
    write(p('tiny.npy'), good[:8])
    write(p('hlen.npy'), good[:8] + struct.pack('<H', 5000) + good[10:])
    write(p('hlen-short.npy'), good[:8] + struct.pack('<H', 20) + good[10:])
    write(p('version.npy'), good[:6] + b'\x07\x00' + good[8:])
    write(p('f16.npy'), npy_bytes(None, [10, IN], '<f2', data=b'\0' * 60))
    write(p('bigendian.npy'), npy_bytes(None, [10, IN], '>f4', data=b'\0' * 120))
    write(p('bool.npy'), npy_bytes(None, [10, IN], '|b1', data=b'\0' * 30))
    write(p('shape.npy'), npy_bytes([0.0] * 40, [10, 4]))
    write(p('rank.npy'), npy_bytes([0.0] * 30, [30]))
    write(p('fortran.npy'), npy_bytes(flat(x), [10, IN], fortran=True))
    write(p('extra.npy'), good + b'\0' * 4)
    write(p('badkey.npy'), npy_bytes(
        flat(x), None, header="{'descr': '<f4', 'fortran_order': False, 'shape': (10, 3), "
        "'extra': 1, }"))
    write(p('nokey.npy'), npy_bytes(
        flat(x), None, header="{'descr': '<f4', 'fortran_order': False, }"))
    write(p('syntax.npy'), npy_bytes(
        flat(x), None, header="{'descr': '<f4' 'fortran_order': False, 'shape': (10, 3), }"))
    write(p('empty.npy'), npy_bytes([], [0, IN]))
    write(p('y12.npy'), npy_bytes([0.0] * 24, [12, OUT]))
    write(p('x.txt'), b'1,2,3\n')
    with open(p('ragged.csv'), 'w') as f:
        f.write('1,2,3\n4,5,6\n7,8\n')
    with open(p('text.csv'), 'w') as f:
        f.write('1,2,3\n4,five,6\n')
    with open(p('emptyfield.csv'), 'w') as f:
        f.write('1,2,3\n4,,6\n')
    with open(p('cols.csv'), 'w') as f:
        f.write('1,2,3,4\n5,6,7,8\n')


def params_tensors(w=None, b=None, s=1.0, dtype='F32'):
    w = w if w is not None else flat(TRUE_W)
    b = b if b is not None else TRUE_B
    return [('linear.weight', dtype, [OUT, IN], w), ('linear.bias', dtype, [OUT], b),
            ('scale', dtype, [1], [s])]


def cmd_checkpoints(out):
    """Valid and malformed safetensors files for --init, --weights, --resume."""
    p = lambda name: os.path.join(out, name)
    good = st_bytes(params_tensors())
    write(p('known.safetensors'), good)
    write(p('f64.safetensors'), st_bytes(params_tensors(dtype='F64')))
    write(p('f16.safetensors'), st_bytes(params_tensors(dtype='F16')))
    write(p('subset.safetensors'), st_bytes(
        [('linear.weight', 'F32', [OUT, IN], flat(TRUE_W)),
         ('extra.weight', 'F32', [2], [1.0, 2.0]),
         ('optimizer.linear.weight.exp_avg', 'F32', [OUT, IN], [0.0] * 6)]))
    write(p('mismatch.safetensors'), st_bytes(
        [('linear.weight', 'F32', [OUT, 4], [0.0] * 8), ('linear.bias', 'F32', [OUT], TRUE_B)]))
    write(p('nomatch.safetensors'), st_bytes([('foo', 'F32', [1], [1.0])]))
    write(p('pretrained.safetensors'), st_bytes([('pre.scale', 'F32', [1], [2.0])]))
    write(p('wrongkey.safetensors'), st_bytes([('scale', 'F32', [1], [2.0])]))
    write(p('truncated.safetensors'), good[:-4])
    write(p('short.safetensors'), good[:5])
    write(p('hlen.safetensors'), struct.pack('<Q', 1 << 20) + good[8:])
    write(p('json.safetensors'), st_bytes([], header_text='{"linear.weight": {"dtype": "F32",'))
    write(p('notobject.safetensors'), st_bytes([], header_text='[1, 2]'))
    header = json.loads(good[8:8 + struct.unpack('<Q', good[:8])[0]])
    data = good[8 + struct.unpack('<Q', good[:8])[0]:]

    def variant(name, change):
        h = json.loads(json.dumps(header))
        change(h)
        write(p(name), st_bytes([], header_text=json.dumps(h), data=data))

    variant('range.safetensors', lambda h: h['scale'].update(data_offsets=[32, 40]))
    variant('overlap.safetensors', lambda h: h['linear.bias'].update(data_offsets=[16, 24]))
    variant('reversed.safetensors', lambda h: h['scale'].update(data_offsets=[36, 32]))
    variant('dtype.safetensors', lambda h: h['scale'].update(dtype='F99'))
    variant('f8.safetensors', lambda h: h['scale'].update(dtype='F8_E4M3', data_offsets=[32, 33]))
    variant('size.safetensors', lambda h: h['linear.weight'].update(shape=[2, 2]))
    variant('negshape.safetensors', lambda h: h['linear.weight'].update(shape=[-2, 3]))
    variant('meta.safetensors', lambda h: h.update(__metadata__={'step': 3}))
    variant('nooffsets.safetensors', lambda h: h['scale'].pop('data_offsets'))
    text = json.dumps(header)
    dup = text[:-1] + ', "scale": ' + json.dumps(header['scale']) + '}'
    write(p('duplicate.safetensors'), st_bytes([], header_text=dup, data=data))


def cmd_show_ckpt(path):
    """Prints a checkpoint's tensors and metadata, checking the layout."""
    meta, tensors = read_st(path)
    for name in sorted(tensors):
        dtype, shape, values = tensors[name]
        finite = all(math.isfinite(v) for v in values)
        print('tensor %s %s %s%s' % (name, dtype, shape, '' if finite else ' NONFINITE'))
    for key in sorted(meta):
        print('meta %s=%s' % (key, meta[key]))


def cmd_values(path, name):
    """Prints one tensor's values (f32, shortest repr)."""
    print('%s: %s' % (name, ' '.join(repr(v) for v in read_st(path)[1][name][2])))


def cmd_bounded(path, name, bound):
    """Every value of the tensor is within [-bound, bound], and they are not all equal."""
    values = read_st(path)[1][name][2]
    if any(abs(v) > float(bound) for v in values) or len(set(values)) < 2:
        fail('%s: %s not spread within +-%s' % (name, values, bound))
    print('%s: %d values within +-%s' % (name, len(values), bound))


def cmd_show_npy(path):
    header, values = read_npy(path)
    print('npy %s fortran=%s shape=%s values=%d' % (
        header['descr'], header['fortran_order'], header['shape'], len(values)))


def load_params(path):
    return read_st(path)[1]


def cmd_check_eval(ckpt, xpath, ypath, output):
    """Recomputes eval's loss and mae in double precision from the checkpoint."""
    params = load_params(ckpt)
    _, x = read_npy(xpath)
    _, y = read_npy(ypath)
    pred = flat(forward(params, rows(x, IN)))
    d = [a - b for a, b in zip(pred, y)]
    want = {'loss': sum(v * v for v in d) / len(d), 'mae': sum(abs(v) for v in d) / len(d),
            'samples': len(x) // IN}
    got = {}
    with open(output) as f:
        for line in f:
            k, v = line.split()
            got[k] = float(v)
    for k, v in want.items():
        if k not in got or not close(got[k], v, rel=2e-5):
            fail('%s: eval printed %s, expected %r' % (k, got.get(k), v))
    print('eval matches: loss %.6g mae %.6g over %d samples' % (
        want['loss'], want['mae'], want['samples']))


def cmd_check_predict(ckpt, xpath, outpath):
    params = load_params(ckpt)
    _, x = read_npy(xpath)
    header, got = read_npy(outpath)
    want = flat(forward(params, rows(x, IN)))
    if header['shape'] != (len(x) // IN, OUT) or header['descr'] != '<f4':
        fail('predict wrote %s %s' % (header['descr'], header['shape']))
    for i, (a, b) in enumerate(zip(got, want)):
        if not close(a, b):
            fail('prediction %d is %r, expected %r' % (i, a, b))
    print('predictions match: %d values' % len(want))


def read_log(path):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[0], [l.split(',') for l in lines[1:]]


def cmd_loss_falls(path, factor):
    """The mean loss of the last epoch in the log is below the first's / factor."""
    header, rows_ = read_log(path)
    by_epoch = {}
    for r in rows_:
        by_epoch.setdefault(int(r[1]), []).append(float(r[2]))
    first, last = min(by_epoch), max(by_epoch)
    a = sum(by_epoch[first]) / len(by_epoch[first])
    b = sum(by_epoch[last]) / len(by_epoch[last])
    if not b * float(factor) < a:
        fail('loss went from %g (epoch %d) to %g (epoch %d)' % (a, first, b, last))
    print('loss falls by more than %sx: epoch %d %.4g -> epoch %d %.4g' % (
        factor, first, a, last, b))


def cmd_same_rows(full, part):
    """Every row of log `part` is identical to the row of the same step in `full`."""
    _, a = read_log(full)
    _, b = read_log(part)
    steps = {r[0]: r for r in a}
    for r in b:
        if steps.get(r[0]) != r:
            fail('step %s: %s vs %s' % (r[0], steps.get(r[0]), r))
    print('same %d rows, steps %s..%s' % (len(b), b[0][0], b[-1][0]))


def cmd_exit1(*argv):
    """Runs a command that must fail with status 1 and one `error: ` line on stderr."""
    argv = list(argv)
    if argv and argv[0] == '--':
        argv = argv[1:]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sys.stdout.write(proc.stdout.decode())
    err = proc.stderr.decode()
    sys.stdout.write(err)
    if proc.returncode != 1:
        fail('exit status %d, expected 1' % proc.returncode)
    errors = [l for l in err.splitlines() if l.startswith('error: ')]
    others = [l for l in err.splitlines() if not l.startswith(('error: ', 'note: '))]
    if len(errors) != 1 or others:
        fail('expected exactly one error line on stderr, got: %r' % err)


def cmd_no_temp(directory):
    """No temporary file of an atomic write is left behind."""
    left = [f for f in os.listdir(directory) if '.tmp.' in f]
    if left:
        fail('temporary files left: %s' % left)
    print('no temporary files')


def main():
    if len(sys.argv) < 2:
        fail('usage: rt.py COMMAND ARGS')
    fn = globals().get('cmd_' + sys.argv[1].replace('-', '_'))
    if not fn:
        fail('unknown command ' + sys.argv[1])
    fn(*sys.argv[2:])


if __name__ == '__main__':
    main()
