# The numpy side of NpyInteropTest, run once per interpreter in the test's directory.
# NpyInteropTest prepends NP (this interpreter's output directory) and the value pools
# (POOLS, value()) shared with ArrayFixtures, then reads the tab-separated lines printed:
#   A   numpy wrote a case and loaded it back: descr, fortran, shape, values, float64, float32
#   B!  a problem numpy found in one of our files;   Bn  how many of our files it checked
#   C   a header variant: OK with the same fields as A, or ERR and the exception type
#   D!  a cast that differs from astype;             Dn  how many casts it checked
import io, os, sys, warnings
import numpy as np
warnings.simplefilter('ignore')
fmt = np.lib.format
out = []

def shape_of(s):
    return tuple(int(x) for x in s.split(',') if x)

def build(key, n, descr, shape, fortran, off):
    count = 1
    for d in shape:
        count *= d
    a = np.array([value(key, n, i, off) for i in range(count)], dtype=descr).reshape(shape)
    return a.copy(order='F') if fortran else a

def header(path):
    with open(path, 'rb') as f:
        ver = fmt.read_magic(f)
        h = fmt.read_array_header_1_0(f) if ver == (1, 0) else fmt.read_array_header_2_0(f)
        return ver, h, f.read()

def tokens(a):
    k = a.dtype.kind
    flat = a.ravel(order='C')
    if k == 'b':
        return ['1' if x else '0' for x in flat]
    if k in 'iu':
        return [str(int(x)) for x in flat]
    if k == 'f':
        return [repr(float(x)) for x in flat]
    if k == 'c':
        return [repr(float(x.real)) + ',' + repr(float(x.imag)) for x in flat]
    if k == 'U':
        return ['x' + str(x).encode('utf-8', 'surrogatepass').hex() for x in flat]
    if k == 'S':
        return ['x' + bytes(x).hex() for x in flat]
    raise ValueError('kind ' + k)

def describe(path):
    # descr, fortran flag, shape, values, float64 and float32 casts, as numpy loads them
    a = np.load(path, allow_pickle=False)
    ver, h, _ = header(path)
    real = a.dtype.kind in 'biuf'
    f64 = [repr(float(x)) for x in a.astype(np.float64).ravel()] if real else []
    f32 = [repr(float(x)) for x in a.astype(np.float32).ravel()] if real else []
    return [a.dtype.str, '1' if h[1] else '0', ','.join(str(d) for d in a.shape),
            ' '.join(tokens(a)), ' '.join(f64), ' '.join(f32)]

cases = {}
for line in open('cases.tsv'):
    name, key, n, descr, fortran, version, shape, off = line.rstrip('\n').split('\t')
    cases[name] = (key, int(n), descr, fortran == '1', int(version), shape_of(shape), int(off))

# A: numpy writes, then prints what it loads back
for name, (key, n, descr, fortran, version, shape, off) in cases.items():
    path = os.path.join(NP, name + '.npy')
    try:
        a = build(key, n, descr, shape, fortran, off)
        with open(path, 'wb') as f:
            fmt.write_array(f, a, version=(version, 0), allow_pickle=False)
        out.append('\t'.join(['A', name] + describe(path)))
    except Exception as e:
        out.append('A!\t%s: %r' % (name, e))

# B: numpy checks our files
checked = 0
for line in open('ours.tsv'):
    path, name = line.rstrip('\n').split('\t')
    key, n, descr, fortran, version, shape, off = cases[name]
    probs = []
    try:
        exp = build(key, n, descr, shape, fortran, off)
        ver, h, data = header(path)
        if ver != (version, 0):
            probs.append('version %r' % (ver,))
        if h[0] != shape or h[1] != fortran or h[2].str != descr:
            probs.append('header %r' % (h,))
        if data != exp.tobytes(order='F' if fortran else 'C'):
            probs.append('data bytes differ')
        a = np.load(path, allow_pickle=False)
        if a.dtype.str != descr or a.shape != shape:
            probs.append('loaded as %s %r' % (a.dtype.str, a.shape))
        nan = a.dtype.kind in 'fc'
        if not (np.array_equal(a, exp, equal_nan=True) if nan else np.array_equal(a, exp)):
            probs.append('array_equal is False')
        if (exp.flags.f_contiguous and not exp.flags.c_contiguous) == fortran:
            buf = io.BytesIO()
            fmt.write_array(buf, exp, version=(version, 0), allow_pickle=False)
            with open(path, 'rb') as f:
                if buf.getvalue() != f.read():
                    probs.append('file differs from numpy write_array')
    except Exception as e:
        probs.append(repr(e))
    checked += 1
    if probs:
        out.append('B!\t%s\t%s' % (path, '; '.join(probs)))
out.append('Bn\t%d' % checked)

# C: header variants
for i in range(len(os.listdir('variants'))):
    path = os.path.join('variants', '%d.npy' % i)
    try:
        a = np.load(path, allow_pickle=False)
    except Exception as e:
        out.append('C\t%d\tERR\t%s' % (i, type(e).__name__))
        continue
    try:
        d = describe(path)
    except Exception as e:  # loaded, but not a dtype we print (structured, datetime)
        d = [a.dtype.str, '', '', '', '', '']
    out.append('\t'.join(['C', str(i), 'OK'] + d))

# D: casts against astype
casts = 0
for line in open('casts.tsv'):
    path, descr, source = line.rstrip('\n').split('\t')
    try:
        exp = eval(source).astype(descr)
        a = np.load(path, allow_pickle=False)
        casts += 1
        if a.dtype.str != descr or a.shape != exp.shape:
            out.append('D!\t%s\tgot %s %r from %s' % (path, a.dtype.str, a.shape, source))
        elif a.tobytes() != exp.tobytes():
            bad = [i for i, (x, y) in enumerate(zip(a.ravel(), exp.ravel()))
                   if x.tobytes() != y.tobytes()]
            out.append('D!\t%s\t%s from %s: at %r got %r expected %r' % (
                path, descr, source[:60], bad[:3], [a.ravel()[j] for j in bad[:3]],
                [exp.ravel()[j] for j in bad[:3]]))
    except Exception as e:
        out.append('D!\t%s\t%r' % (path, e))
out.append('Dn\t%d' % casts)
sys.stdout.write('\n'.join(out) + '\n')
