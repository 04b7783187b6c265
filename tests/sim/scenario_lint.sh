#!/bin/sh
# Lint the opsdeck-sim scenario files in data/sim/ (TAP output).
#
# The simulator's own loader is the real check; this test needs no simulator:
#  - "kubectl kustomize" (offline; kubectl create --dry-run=client needs an API
#    server for discovery, so it cannot be used here) parses every document of
#    each file as Kubernetes YAML;
#  - python3 with PyYAML, when present, checks each file's documents, the
#    references between them, the Scenario document, the healthy-at-rest
#    baselines against the runbooks' thresholds, the log templates, and a table
#    of runbook facts (names, labels, images, ports, sizes, schedules);
#  - make-demo.sh --check verifies demo.yaml is the merge of the other four.
# Checks whose tool is missing are reported as "ok N # SKIP".
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
simdir=${SIM_SCENARIO_DIR:-$top/data/sim}
scenarios="home-automation matrix matrixon tapio-system demo"
checks="documents references scenario at-rest logs runbook-facts"

ncheck=0
for _ in $checks; do ncheck=$((ncheck + 1)); done
nscen=0
for _ in $scenarios; do nscen=$((nscen + 1)); done
echo "1..$((nscen * (1 + ncheck) + 1))"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { sed 's/^/# /'; }

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

have_kubectl=no
command -v kubectl >/dev/null 2>&1 && have_kubectl=yes
have_pyyaml=no
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' >/dev/null 2>&1; then
	have_pyyaml=yes
fi

cat >"$tmpdir/lint.py" <<'PYEOF'
import json, re, sys
import yaml

path, which = sys.argv[1], sys.argv[2]
SCEN = path.rsplit('/', 1)[-1].rsplit('.', 1)[0]

# --------------------------------------------------------------- helpers
BIN = {'Ki': 2**10, 'Mi': 2**20, 'Gi': 2**30, 'Ti': 2**40}
DEC = {'m': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12}
def qty(s):
    s = str(s).strip()
    m = re.fullmatch(r'([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|m|k|M|G|T)?', s)
    if not m:
        raise ValueError('bad quantity %r' % s)
    v, u = float(m.group(1)), m.group(2) or ''
    return v * BIN[u] if u in BIN else v * DEC[u]
def rate_per_s(s, unit_re=r'(s|m|h|d)'):
    m = re.fullmatch(r'([0-9.]+)/' + unit_re, str(s))
    if not m:
        raise ValueError('bad rate %r' % s)
    return float(m.group(1)) / {'s': 1, 'm': 60, 'h': 3600, 'd': 86400}[m.group(2)]
def growth_per_day(s):
    m = re.fullmatch(r'(.+)/(h|d)', str(s))
    if not m:
        raise ValueError('bad growth %r' % s)
    return qty(m.group(1)) * (24 if m.group(2) == 'h' else 1)
def duration(s):
    m = re.fullmatch(r'([0-9.]+)(ms|s|m|h|d)', str(s))
    if not m:
        raise ValueError('bad duration %r' % s)
    return float(m.group(1)) * {'ms': 1e-3, 's': 1, 'm': 60, 'h': 3600, 'd': 86400}[m.group(2)]

errors = []
def err(msg):
    errors.append(msg)

KINDS = {
    'Namespace': ('v1', False), 'Node': ('v1', False), 'Service': ('v1', True),
    'PersistentVolumeClaim': ('v1', True), 'PersistentVolume': ('v1', False),
    'ConfigMap': ('v1', True), 'Secret': ('v1', True),
    'Deployment': ('apps/v1', True), 'StatefulSet': ('apps/v1', True), 'DaemonSet': ('apps/v1', True),
    'Job': ('batch/v1', True), 'CronJob': ('batch/v1', True),
    'VolumeSnapshotClass': ('snapshot.storage.k8s.io/v1', False),
    'VolumeSnapshot': ('snapshot.storage.k8s.io/v1', True),
    'Scenario': ('sim.opsdeck.io/v1', False),
}
WORKLOADS = ('Deployment', 'StatefulSet', 'DaemonSet')

with open(path) as f:
    docs = [d for d in yaml.safe_load_all(f) if d is not None]

def key(d):
    md = d.get('metadata') or {}
    return (d.get('kind'), md.get('namespace'), md.get('name'))
objs = {}
for d in docs:
    if isinstance(d, dict):
        objs.setdefault(key(d), d)
def get(kind, ns, name):
    return objs.get((kind, ns, name))
def of_kind(*kinds):
    return [d for d in docs if isinstance(d, dict) and d.get('kind') in kinds]
scen_docs = of_kind('Scenario')
scen = scen_docs[0] if scen_docs else {}
sspec = scen.get('spec') or {}
nodes = sspec.get('nodes') or []

def pod_spec(d):
    k = d['kind']
    if k in WORKLOADS or k == 'Job':
        return d['spec']['template'].get('spec') or {}
    if k == 'CronJob':
        return d['spec']['jobTemplate']['spec']['template'].get('spec') or {}
    return {}
def tmpl_labels(d):
    k = d['kind']
    if k == 'CronJob':
        return ((d['spec']['jobTemplate']['spec']['template'].get('metadata') or {}).get('labels') or {})
    return ((d['spec']['template'].get('metadata') or {}).get('labels') or {})
def containers(d):
    ps = pod_spec(d)
    return (ps.get('initContainers') or []) + (ps.get('containers') or [])
def replicas(d):
    if d['kind'] == 'DaemonSet':
        sel = pod_spec(d).get('nodeSelector') or {}
        return sum(1 for n in nodes if all((n.get('labels') or {}).get(k) == v for k, v in sel.items()))
    return d['spec'].get('replicas', 1)
def claim_names(d):
    """Claims a workload's pods mount, including volumeClaimTemplate claims."""
    out = [v['persistentVolumeClaim']['claimName'] for v in pod_spec(d).get('volumes') or [] if 'persistentVolumeClaim' in v]
    if d['kind'] == 'StatefulSet':
        start = ((d['spec'].get('ordinals') or {}).get('start') or 0)
        for t in d['spec'].get('volumeClaimTemplates') or []:
            for i in range(start, start + replicas(d)):
                out.append('%s-%s-%d' % (t['metadata']['name'], d['metadata']['name'], i))
    return out
def claim_capacity(ns, name):
    p = get('PersistentVolumeClaim', ns, name)
    if p:
        return qty(p['spec']['resources']['requests']['storage'])
    for s in of_kind('StatefulSet'):
        if s['metadata'].get('namespace') != ns:
            continue
        for t in s['spec'].get('volumeClaimTemplates') or []:
            if name in claim_names(s) and name.startswith(t['metadata']['name'] + '-'):
                return qty(t['spec']['resources']['requests']['storage'])
    return None

# --------------------------------------------------------------- checks
def check_documents():
    seen = set()
    for i, d in enumerate(docs):
        if not isinstance(d, dict):
            err('document %d is not a mapping' % i); continue
        k = d.get('kind')
        if k not in KINDS:
            err('document %d: kind %r is not a simulator kind' % (i, k)); continue
        if d.get('apiVersion') != KINDS[k][0]:
            err('%s: apiVersion %r, want %r' % (k, d.get('apiVersion'), KINDS[k][0]))
        md = d.get('metadata') or {}
        if not md.get('name'):
            err('document %d (%s) has no metadata.name' % (i, k)); continue
        if not re.fullmatch(r'[a-z0-9]([-a-z0-9.]*[a-z0-9])?', md['name']):
            err('%s %s: invalid name' % (k, md['name']))
        if KINDS[k][1]:
            ns = md.get('namespace')
            if not ns:
                err('%s %s has no namespace' % (k, md['name']))
            elif not get('Namespace', None, ns):
                err('%s %s: namespace %s has no Namespace document' % (k, md['name'], ns))
        elif 'namespace' in md:
            err('cluster-scoped %s %s has a namespace' % (k, md['name']))
        if key(d) in seen:
            err('duplicate %s %s/%s' % key(d))
        seen.add(key(d))
        for where in ('labels', 'annotations'):
            for lk, lv in (md.get(where) or {}).items():
                if not isinstance(lv, str):
                    err('%s %s: %s %s=%r is not a string (quote it)' % (k, md['name'], where, lk, lv))
    if len(scen_docs) != 1:
        err('want exactly one Scenario document, found %d' % len(scen_docs))
    if sspec.get('mainNamespace') and not get('Namespace', None, sspec['mainNamespace']):
        err('mainNamespace %s has no Namespace document' % sspec.get('mainNamespace'))
    if SCEN == 'demo' and sspec.get('mainNamespace') != 'home-automation':
        err('demo mainNamespace must be home-automation')
    names = [n.get('name') for n in nodes]
    if len(set(names)) != len(names) or not names:
        err('Scenario nodes missing or duplicated: %r' % names)

def check_references():
    for d in of_kind(*WORKLOADS):
        ns, name = d['metadata']['namespace'], d['metadata']['name']
        sel = (d['spec'].get('selector') or {}).get('matchLabels') or {}
        tl = tmpl_labels(d)
        if not sel or any(tl.get(k) != v for k, v in sel.items()):
            err('%s %s: selector %r does not match template labels %r' % (d['kind'], name, sel, tl))
        if d['kind'] == 'StatefulSet' and not get('Service', ns, d['spec'].get('serviceName')):
            err('StatefulSet %s: serviceName %r has no Service' % (name, d['spec'].get('serviceName')))
    for d in of_kind(*(WORKLOADS + ('Job', 'CronJob'))):
        ns, name = d['metadata']['namespace'], d['metadata']['name']
        ps = pod_spec(d)
        names = [c.get('name') for c in containers(d)]
        if len(set(names)) != len(names):
            err('%s %s: duplicate container names' % (d['kind'], name))
        for c in containers(d):
            if not c.get('image'):
                err('%s %s/%s: no image' % (d['kind'], name, c.get('name')))
            res = c.get('resources') or {}
            for r in ('cpu', 'memory'):
                rq, li = (res.get('requests') or {}).get(r), (res.get('limits') or {}).get(r)
                if rq is None or li is None:
                    err('%s %s/%s: %s request and limit wanted' % (d['kind'], name, c.get('name'), r))
                elif qty(rq) > qty(li):
                    err('%s %s/%s: %s request above limit' % (d['kind'], name, c.get('name'), r))
            for e in c.get('envFrom') or []:
                for kind, f in (('Secret', 'secretRef'), ('ConfigMap', 'configMapRef')):
                    if f in e and not get(kind, ns, e[f]['name']):
                        err('%s %s: envFrom %s %s missing' % (d['kind'], name, kind, e[f]['name']))
            for e in c.get('env') or []:
                vf = e.get('valueFrom') or {}
                for kind, f in (('Secret', 'secretKeyRef'), ('ConfigMap', 'configMapKeyRef')):
                    if f in vf:
                        o = get(kind, ns, vf[f]['name'])
                        data = dict((o or {}).get('data') or {}, **((o or {}).get('stringData') or {}))
                        if not o or vf[f]['key'] not in data:
                            err('%s %s: env %s refers to missing %s %s key %s' % (d['kind'], name, e['name'], kind, vf[f]['name'], vf[f]['key']))
        for v in ps.get('volumes') or []:
            if 'persistentVolumeClaim' in v and not get('PersistentVolumeClaim', ns, v['persistentVolumeClaim']['claimName']):
                err('%s %s: PVC %s missing' % (d['kind'], name, v['persistentVolumeClaim']['claimName']))
            if 'configMap' in v and not get('ConfigMap', ns, v['configMap']['name']):
                err('%s %s: ConfigMap %s missing' % (d['kind'], name, v['configMap']['name']))
            if 'secret' in v and not get('Secret', ns, v['secret']['secretName']):
                err('%s %s: Secret %s missing' % (d['kind'], name, v['secret']['secretName']))
        mounts = {m['name'] for c in containers(d) for m in c.get('volumeMounts') or []}
        vols = {v['name'] for v in ps.get('volumes') or []}
        if d['kind'] == 'StatefulSet':
            vols |= {t['metadata']['name'] for t in d['spec'].get('volumeClaimTemplates') or []}
        if mounts - vols:
            err('%s %s: volumeMounts without volumes: %s' % (d['kind'], name, sorted(mounts - vols)))
        sel = ps.get('nodeSelector') or {}
        if sel and not any(all((n.get('labels') or {}).get(k) == v for k, v in sel.items()) for n in nodes):
            err('%s %s: nodeSelector %r matches no Scenario node' % (d['kind'], name, sel))
    for s in of_kind('Service'):
        ns, sel = s['metadata']['namespace'], s['spec'].get('selector') or {}
        if not any(w['metadata']['namespace'] == ns and all(tmpl_labels(w).get(k) == v for k, v in sel.items())
                   for w in of_kind(*WORKLOADS)):
            err('Service %s: selector %r matches no workload' % (s['metadata']['name'], sel))
    for v in of_kind('VolumeSnapshot'):
        ns, sp = v['metadata']['namespace'], v['spec']
        if not get('PersistentVolumeClaim', ns, sp['source'].get('persistentVolumeClaimName')):
            err('VolumeSnapshot %s: source PVC missing' % v['metadata']['name'])
        c = sp.get('volumeSnapshotClassName')
        if c and not get('VolumeSnapshotClass', None, c):
            err('VolumeSnapshot %s: class %s missing' % (v['metadata']['name'], c))
    for p in of_kind('PersistentVolumeClaim'):
        vn = p['spec'].get('volumeName')
        if vn:
            pv = get('PersistentVolume', None, vn)
            cr = (pv or {}).get('spec', {}).get('claimRef') or {}
            if not pv or cr.get('name') != p['metadata']['name'] or cr.get('namespace') != p['metadata']['namespace']:
                err('PVC %s: volumeName %s does not bind back' % (p['metadata']['name'], vn))
    for s in of_kind('Secret'):
        if s.get('type') == 'kubernetes.io/tls' and 'data' not in s:
            exp = (s['metadata'].get('annotations') or {}).get('sim.opsdeck.io/cert-expires-in')
            if not exp:
                err('TLS Secret %s has neither data nor sim.opsdeck.io/cert-expires-in' % s['metadata']['name'])
            else:
                duration(exp)

def wl_by_ref(ref):
    parts = str(ref).split('/')
    if len(parts) != 3:
        return None
    return get(parts[1], parts[0], parts[2])

def check_scenario():
    refs = set()
    for w in sspec.get('workloads') or []:
        ref = w.get('ref')
        d = wl_by_ref(ref)
        if d is None:
            err('workload %r resolves to no document' % ref); continue
        if ref in refs:
            err('workload %r listed twice' % ref)
        refs.add(ref)
        ns = d['metadata']['namespace']
        cnames = {c['name'] for c in containers(d)}
        for section in ('metrics', 'logs'):
            for c in (w.get(section) or {}):
                if c not in cnames:
                    err('%s: %s for unknown container %r (have %s)' % (ref, section, c, sorted(cnames)))
        for h in w.get('health') or []:
            svc = get('Service', ns, h.get('service'))
            if not svc:
                err('%s: health service %r missing' % (ref, h.get('service'))); continue
            if h.get('port') not in [p.get('port') for p in svc['spec'].get('ports') or []]:
                err('%s: health port %r not on Service %s' % (ref, h.get('port'), h['service']))
            if not str(h.get('path', '')).startswith('/') or not isinstance(h.get('status'), int):
                err('%s: health needs an absolute path and an integer status' % ref)
        for v in w.get('volumes') or []:
            if v.get('claim') not in claim_names(d) and claim_capacity(ns, v.get('claim')) is None:
                err('%s: volume claim %r is not a claim of this workload' % (ref, v.get('claim')))
        if d['kind'] in ('Job', 'CronJob'):
            j = w.get('job') or {}
            if j.get('outcome') not in ('Complete', 'Failed') or 'duration' not in j:
                err('%s: job {outcome, duration} wanted' % ref)
            else:
                duration(j['duration'])
        for f in ('readyDelay', 'startDelay'):
            if f in w:
                duration(w[f])
        h = w.get('http')
        if h is not None:  # PROPOSED field, docs/sim-scenarios.md
            rate_per_s(h.get('rate', '1/s'), r'(s|m)')
            if duration(h['p50']) > duration(h['p95']):
                err('%s: http p50 above p95' % ref)
            if not 0 <= float(h.get('errorRatio', 0)) < 0.05:
                err('%s: http errorRatio should be small' % ref)
    for d in of_kind(*(WORKLOADS + ('Job', 'CronJob'))):
        ref = '%s/%s/%s' % (d['metadata']['namespace'], d['kind'], d['metadata']['name'])
        if ref not in refs:
            err('%s has no Scenario workload entry (metrics/logs)' % ref)
    for f in ('startDelay', 'readyDelay'):
        v = (sspec.get('defaults') or {}).get(f)
        if v is not None and duration(v) > 5:
            err('defaults.%s above 5s' % f)
    for n in nodes:
        qty(n['cpu']); qty(n['memory'])
    for t in sspec.get('timeline') or []:
        if 'at' not in t or 'fault' not in t:
            err('timeline entry %r needs at and fault' % t)

# Runbook thresholds for "healthy at rest" (fraction of the container limit,
# or absolute bounds), checked at mean + 2 x noise and after a week of drift.
RUNBOOK_BOUNDS = {
    # matter-server-overview.md §Expected Resource Usage; matter-server-operations.md
    # §Daily Operations Checklist (CPU <200m, Memory <400Mi), §Alert Configuration.
    'home-automation/Deployment/matter-server': {'cpu': (qty('50m'), qty('200m')), 'memory': (qty('128Mi'), qty('400Mi'))},
}
LIMIT_FRACTION = {
    # matrixon-operations.md §Scaling Triggers: CPU >70%, memory >80%.
    'matrixon/Deployment/matrixon': {'cpu': 0.7, 'memory': 0.8},
}
# matrixon-operations.md §Service Level Objectives: p95 <= 50ms, delivery >= 99.95%.
HTTP_P95_SLO = {'matrixon/Deployment/matrixon': 0.050}
HTTP_ERR_SLO = {'matrixon/Deployment/matrixon': 0.0005}
EPS = 1e-6
def check_at_rest():
    total = {'cpu': 0.0, 'memory': 0.0}
    for w in sspec.get('workloads') or []:
        d = wl_by_ref(w.get('ref'))
        if d is None:
            continue
        ref = w['ref']
        cs = {c['name']: c for c in containers(d)}
        for cname, m in (w.get('metrics') or {}).items():
            c = cs.get(cname)
            if not c:
                continue
            lim = (c.get('resources') or {}).get('limits') or {}
            cpu_hi = qty(m['cpu']) + 2 * qty(m.get('cpuNoise', 0))
            cpu_lo = qty(m['cpu']) - 2 * qty(m.get('cpuNoise', 0))
            drift = growth_per_day(m['memoryDrift']) * 7 if 'memoryDrift' in m else 0
            mem_hi = qty(m['memory']) + 2 * qty(m.get('memoryNoise', 0)) + drift
            frac = LIMIT_FRACTION.get(ref, {'cpu': 0.8, 'memory': 0.8})
            if 'cpu' in lim and cpu_hi > frac['cpu'] * qty(lim['cpu']):
                err('%s/%s: cpu %.0fm (mean+2 noise) above %d%% of limit %s' % (ref, cname, cpu_hi * 1000, frac['cpu'] * 100, lim['cpu']))
            if 'memory' in lim and mem_hi > frac['memory'] * qty(lim['memory']):
                err('%s/%s: memory %.0fMi (mean+2 noise+7d drift) above %d%% of limit %s' % (ref, cname, mem_hi / 2**20, frac['memory'] * 100, lim['memory']))
            if qty(m.get('cpuNoise', 0)) > qty(m['cpu']) + EPS:
                err('%s/%s: cpu noise larger than the mean' % (ref, cname))
            b = RUNBOOK_BOUNDS.get(ref)
            if b:
                if cpu_lo < b['cpu'][0] - EPS or cpu_hi > b['cpu'][1] + EPS:
                    err('%s: cpu %.0f-%.0fm outside runbook range' % (ref, cpu_lo * 1000, cpu_hi * 1000))
                mem_lo = qty(m['memory']) - 2 * qty(m.get('memoryNoise', 0))
                if mem_lo < b['memory'][0] - EPS or mem_hi > b['memory'][1] + EPS:
                    err('%s: memory %.0f-%.0fMi outside runbook range' % (ref, mem_lo / 2**20, mem_hi / 2**20))
        ns = d['metadata']['namespace']
        for v in w.get('volumes') or []:
            cap = claim_capacity(ns, v.get('claim'))
            if cap is None:
                continue
            used30 = qty(v['used']) + 30 * growth_per_day(v['growth'])
            if used30 > 0.8 * cap:
                err('%s: claim %s at %.0f%% after 30 days (runbooks: <80%%)' % (ref, v['claim'], 100 * used30 / cap))
    for w in sspec.get('workloads') or []:
        h, slo = w.get('http'), HTTP_P95_SLO.get(w.get('ref'))
        if slo and (not h or duration(h['p95']) > slo or float(h.get('errorRatio', 0)) > HTTP_ERR_SLO[w['ref']]):
            err('%s: http baseline missing or outside the runbook SLO' % w['ref'])
    for d in of_kind(*WORKLOADS):
        for c in containers(d):
            rq = (c.get('resources') or {}).get('requests') or {}
            for r in total:
                total[r] += replicas(d) * qty(rq.get(r, 0))
    for r in total:
        cap = sum(qty(n[r]) for n in nodes)
        if total[r] > 0.8 * cap:
            err('node %s requests %.1f of %.1f allocatable (over 80%%)' % (r, total[r], cap))

PH = re.compile(r'\{([a-z]+)(?::([^{}]*))?\}')
KNOWN = {'int', 'hex', 'uuid', 'ip', 'version', 'pod', 'ns', 'choice', 'ms'}
def render(t):
    def sub(m):
        name, arg = m.group(1), m.group(2) or ''
        if name == 'int':
            lo, hi = arg.split('-')
            assert int(lo) <= int(hi), 'empty int range %s' % arg
            return lo
        if name == 'hex':
            return 'a' * int(arg)
        if name == 'ms':
            lo, hi = arg.split('-')
            assert int(lo) <= int(hi)
            return lo + 'ms'
        if name == 'choice':
            assert '|' in arg
            return arg.split('|')[0]
        return {'uuid': '00000000-0000-4000-8000-000000000000', 'ip': '10.0.0.1', 'version': '1.0.0',
                'pod': 'pod-0', 'ns': 'ns'}[name]
    return PH.sub(sub, t)
def check_logs():
    for w in sspec.get('workloads') or []:
        ref = w.get('ref')
        for cname, lg in (w.get('logs') or {}).items():
            if 'rate' in lg:
                rate_per_s(lg['rate'], r'(s|m|h)')
            wr = lg.get('warnings') or {}
            if wr and not (0 < float(wr.get('ratio', 0)) <= 0.1):
                err('%s/%s: warnings ratio should be small (0-0.1]' % (ref, cname))
            groups = {'startup': lg.get('startup') or [], 'periodic': lg.get('periodic') or [],
                      'warnings': wr.get('lines') or [], 'errors': lg.get('errors') or []}
            if not groups['startup'] and not groups['periodic']:
                err('%s/%s: no startup or periodic lines' % (ref, cname))
            for g, lines in groups.items():
                for t in lines:
                    if not isinstance(t, str):
                        err('%s/%s %s: template %r is not a string' % (ref, cname, g, t)); continue
                    for m in PH.finditer(t):
                        if m.group(1) not in KNOWN:
                            err('%s/%s: unknown placeholder {%s}' % (ref, cname, m.group(1)))
                    try:
                        line = render(t)
                    except Exception as e:
                        err('%s/%s: bad placeholder in %r: %s' % (ref, cname, t, e)); continue
                    if lg.get('json'):
                        try:
                            obj = json.loads(line)
                        except ValueError as e:
                            err('%s/%s %s: not JSON after rendering: %s: %s' % (ref, cname, g, e, line)); continue
                        level = str(obj.get('level', '')).lower()
                        if g != 'errors' and level in ('error', 'fatal', 'panic'):
                            err('%s/%s %s: error-level line outside errors: %s' % (ref, cname, g, line))
                    elif g != 'errors' and re.search('error', line, re.I):
                        # runbooks: "grep -i error" must find nothing at rest
                        err('%s/%s %s: line matches "error" at rest: %s' % (ref, cname, g, line))

# (scenario files the fact belongs to, kind, namespace, name, dotted path, expected)
FACTS = [
    ('home-automation', 'Deployment', 'home-automation', 'matter-server', 'spec.template.spec.hostNetwork', True),
    ('home-automation', 'Deployment', 'home-automation', 'matter-server', 'spec.template.metadata.labels.app\\.kubernetes\\.io/name', 'matter-server'),
    ('home-automation', 'Deployment', 'home-automation', 'matter-server', 'spec.template.spec.containers.0.image', 'ghcr.io/home-assistant-libs/python-matter-server:8.0.0'),
    ('home-automation', 'Deployment', 'home-automation', 'matter-server', 'spec.template.spec.containers.0.ports.0.containerPort', 5580),
    ('home-automation', 'Deployment', 'home-automation', 'matter-server', 'spec.template.spec.containers.0.resources.requests.cpu', '50m'),
    ('home-automation', 'Deployment', 'home-automation', 'matter-server', 'spec.template.spec.containers.0.resources.limits.memory', '512Mi'),
    ('home-automation', 'Deployment', 'home-automation', 'home-assistant', 'spec.template.metadata.labels.app\\.kubernetes\\.io/name', 'home-assistant'),
    ('home-automation', 'Service', 'home-automation', 'matter-server', 'spec.ports.0.port', 5580),
    ('home-automation', 'PersistentVolumeClaim', 'home-automation', 'matter-server-data', 'spec.resources.requests.storage', '5Gi'),
    ('home-automation', 'PersistentVolumeClaim', 'home-automation', 'matter-server-data', 'spec.storageClassName', 'longhorn'),
    ('home-automation', 'VolumeSnapshotClass', None, 'longhorn-snapshot-vsc', 'driver', 'driver.longhorn.io'),
    ('home-automation', 'VolumeSnapshotClass', None, 'longhorn-snapshot-vsc', 'metadata.annotations.snapshot\\.storage\\.kubernetes\\.io/is-default-class', 'true'),
    ('home-automation', 'ConfigMap', 'home-automation', 'home-assistant-configuration', 'metadata.name', 'home-assistant-configuration'),
    ('matrix', 'Deployment', 'matrix', 'synapse-main', 'spec.template.spec.containers.0.name', 'synapse'),
    ('matrix', 'Deployment', 'matrix', 'synapse-main', 'spec.template.spec.containers.0.image', 'matrixdotorg/synapse:v1.102.0'),
    ('matrix', 'Deployment', 'matrix', 'synapse-main', 'spec.template.metadata.labels.component', 'main'),
    ('matrix', 'Deployment', 'matrix', 'synapse-main', 'spec.template.metadata.labels.app\\.kubernetes\\.io/name', 'synapse'),
    ('matrix', 'Deployment', 'matrix', 'synapse-main', 'spec.template.spec.containers.0.resources.limits.memory', '6Gi'),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-sync-worker', 'spec.replicas', 8),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-sync-worker', 'spec.template.metadata.labels.component', 'sync-worker'),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-generic-worker', 'spec.replicas', 4),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-event-persister', 'spec.replicas', 2),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-event-persister', 'spec.template.metadata.labels.app\\.kubernetes\\.io/component', 'event-persister'),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-federation-sender', 'spec.replicas', 4),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-media-repository', 'spec.template.spec.containers.0.name', 'synapse'),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-postgres', 'spec.template.metadata.labels.cnpg\\.io/cluster', 'synapse-postgres'),
    ('matrix', 'StatefulSet', 'matrix', 'synapse-postgres', 'spec.ordinals.start', 1),
    ('matrix', 'StatefulSet', 'redis-synapse', 'redis-synapse-master', 'spec.replicas', 1),
    ('matrix', 'Deployment', 'matrix', 'element-web', 'spec.template.spec.containers.0.name', 'element'),
    ('matrix', 'ConfigMap', 'matrix', 'synapse-config', 'metadata.name', 'synapse-config'),
    ('matrix', 'Secret', 'matrix', 'synapse-tls-secret', 'type', 'kubernetes.io/tls'),
    ('matrix', 'CronJob', 'matrix', 'synapse-db-backup', 'metadata.name', 'synapse-db-backup'),
    ('matrixon', 'Deployment', 'matrixon', 'matrixon', 'spec.replicas', 3),
    ('matrixon', 'Deployment', 'matrixon', 'matrixon', 'spec.template.spec.containers.0.name', 'matrixon'),
    ('matrixon', 'Service', 'matrixon', 'matrixon', 'spec.ports.0.port', 8008),
    ('matrixon', 'StatefulSet', 'matrixon', 'postgres', 'spec.template.spec.containers.1.ports.0.containerPort', 9187),
    ('matrixon', 'Deployment', 'matrixon', 'redis', 'spec.template.spec.containers.0.ports.0.containerPort', 6379),
    ('tapio-system', 'Deployment', 'tapio-system', 'tapio-server', 'spec.replicas', 3),
    ('tapio-system', 'Deployment', 'tapio-system', 'tapio-server', 'spec.template.spec.containers.0.name', 'server'),
    ('tapio-system', 'Deployment', 'tapio-system', 'tapio-server', 'spec.template.spec.containers.0.image', 'tapio:v1.2.3'),
    ('tapio-system', 'DaemonSet', 'tapio-system', 'tapio-agent', 'spec.template.spec.containers.0.name', 'agent'),
    ('tapio-system', 'Deployment', 'tapio-system', 'tapio-dashboard', 'metadata.name', 'tapio-dashboard'),
    ('tapio-system', 'PersistentVolumeClaim', 'tapio-system', 'data-tapio-server-0', 'metadata.name', 'data-tapio-server-0'),
    ('tapio-system', 'ConfigMap', 'tapio-system', 'tapio-config', 'data.cache-size', '1Gi'),
    ('tapio-system', 'CronJob', 'tapio-system', 'tapio-daily-backup', 'spec.schedule', '0 0 * * *'),
    ('tapio-system', 'CronJob', 'tapio-system', 'tapio-weekly-backup', 'spec.schedule', '0 2 * * 0'),
    ('tapio-system', 'Deployment', 'tapio-system', 'maintenance-controller', 'spec.template.metadata.labels.app', 'maintenance-controller'),
]
def dig(o, dotted):
    for part in re.split(r'(?<!\\)\.', dotted):
        part = part.replace('\\.', '.')
        if isinstance(o, list):
            o = o[int(part)]
        else:
            o = o[part]
    return o
def check_runbook_facts():
    count = 0
    for scen, kind, ns, name, p, want in FACTS:
        if SCEN not in (scen, 'demo'):
            continue
        count += 1
        d = get(kind, ns, name)
        if d is None:
            err('runbook fact: %s %s/%s missing' % (kind, ns, name)); continue
        try:
            got = dig(d, p)
        except (KeyError, IndexError, TypeError):
            err('runbook fact: %s %s: %s missing' % (kind, name, p)); continue
        if got != want:
            err('runbook fact: %s %s: %s = %r, want %r' % (kind, name, p, got, want))
    # every Secret with a TLS cert annotation, every health endpoint the issue names
    health = {(h.get('service'), h.get('path')) for w in sspec.get('workloads') or [] for h in w.get('health') or []}
    want = {'home-automation': [('matter-server', '/ws')], 'matrix': [('synapse-main', '/_matrix/client/versions')],
            'matrixon': [('matrixon', '/_matrix/client/versions')], 'tapio-system': [('tapio-server', '/health')]}
    for s, hs in want.items():
        if SCEN in (s, 'demo'):
            for h in hs:
                if h not in health:
                    err('runbook fact: health endpoint %s %s missing' % h)
    if count == 0:
        err('no runbook facts apply to %s' % SCEN)

CHECKS = {'documents': check_documents, 'references': check_references, 'scenario': check_scenario,
          'at-rest': check_at_rest, 'logs': check_logs, 'runbook-facts': check_runbook_facts}
try:
    CHECKS[which]()
except Exception as e:  # a crash is a failure with its reason
    err('%s: %s' % (type(e).__name__, e))
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
PYEOF

for s in $scenarios; do
	f="$simdir/$s.yaml"
	if [ ! -f "$f" ]; then
		notok "$s.yaml: exists"
		for c in $checks; do notok "$s.yaml: $c (file missing)"; done
		continue
	fi

	# 1. every document parses as Kubernetes YAML (offline kustomize build)
	if [ "$have_kubectl" = yes ]; then
		k="$tmpdir/k-$s"
		mkdir -p "$k"
		cp "$f" "$k/scenario.yaml"
		printf 'resources:\n- scenario.yaml\n' >"$k/kustomization.yaml"
		if kubectl kustomize "$k" >"$k/out" 2>"$k/err"; then
			ok "$s.yaml: kubectl kustomize parses every document"
		else
			notok "$s.yaml: kubectl kustomize parses every document"
			diag <"$k/err"
		fi
	else
		skip "$s.yaml: kubectl kustomize parses every document" "kubectl not installed"
	fi

	# 2..7 python3 checks
	for c in $checks; do
		if [ "$have_pyyaml" = yes ]; then
			if python3 "$tmpdir/lint.py" "$f" "$c" >"$tmpdir/out" 2>&1; then
				ok "$s.yaml: $c"
			else
				notok "$s.yaml: $c"
				diag <"$tmpdir/out"
			fi
		else
			skip "$s.yaml: $c" "python3 with PyYAML not available"
		fi
	done
done

# demo.yaml is exactly what make-demo.sh generates from the four scenarios
if [ -f "$simdir/make-demo.sh" ] && sh "$simdir/make-demo.sh" --check >"$tmpdir/out" 2>&1; then
	ok "demo.yaml is up to date with make-demo.sh"
else
	notok "demo.yaml is up to date with make-demo.sh"
	diag <"$tmpdir/out"
fi

[ "$failed" -eq 0 ]
