// Offline checks of rendered Kubernetes manifests (called by deploy/k8s/check.sh):
//  1. every object validates against the Kubernetes OpenAPI schemas (kubernetes-models), the
//     prometheus-operator CRD schemas (@kubernetes-models/prometheus-operator) or
//     cert-manager's (@kubernetes-models/cert-manager), with no field the schema does not
//     know; an apiVersion/kind known to none is an error;
//  2. the Ricochet Deployment agrees with the server and with the other objects: every
//     ConfigMap key is a RICOCHET_* variable the server knows, container ports equal the
//     server's ports, Service, probes, NetworkPolicy and ServiceMonitor name ports that exist,
//     the grace period exceeds shutdown delay + grace + margin, the JVM's heap and direct
//     memory fit the memory limit, the autoscaler alone sets the replica count, the
//     PrometheusRule's groups equal the rule files'; the TLS files are in a Secret volume
//     mounted whole (never through subPath), the probes' scheme matches the admin port's,
//     and a cert-manager Certificate writes the mounted Secret with names the Service
//     answers to, renewed before the expiry alert fires;
//  3. the load generator Job runs one shard per pod and can be merged: an Indexed Job with
//     completions = parallelism = --shards, --json=- (the report in the pod's log),
//     --start-at from a ConfigMap key (one instant, filled at apply time), no retry of a
//     shard, a deadline past the lead and the measurement, source ports and memory enough
//     for a shard, a spread that selects its own pods, --target naming the Service, and,
//     when that Service's server speaks TLS, --tls with --tls-ca naming the ca.crt of the
//     server's Secret, mounted from it.
//
// Usage: node check.mjs --help-text FILE NAME=RENDERED.yaml ...
//        node check.mjs --print-env RENDERED.yaml   (KEY=VALUE lines of the server's ConfigMap,
//                                                   then "probe PATH" lines, then "tls-mount
//                                                   PATH" for the Secret volume TLS files are in)
import { readFileSync } from "node:fs";
import YAML from "yaml";
import { ruleGroups } from "./generate-prometheusrule.mjs";

const MARGIN_SECONDS = 5;          // the JVM's exit after the drain, and signal delivery
const NON_HEAP_MIB = 150;          // metaspace, code cache, thread stacks, GC, glibc (measured ~60-80)
const START_AT_LEAD_SECONDS = 120; // how far ahead the docs set the load generator's --start-at
const DEFAULT_PORT_RANGE = "32768 60999";   // net.ipv4.ip_local_port_range unless a sysctl sets it
const TLS_FILES = ["RICOCHET_TLS_CERT", "RICOCHET_TLS_KEY", "RICOCHET_TLS_CLIENT_CA"];
const EXPIRY_ALERT = "RicochetTlsCertificateExpiresSoon";

const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

function loadDocs(file) {
    return YAML.parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter((d) => d);
}

async function modelFor(apiVersion, kind) {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const candidates = group === "monitoring.coreos.com" ? [`@kubernetes-models/prometheus-operator/${group}/${version}`]
        : group === "cert-manager.io" ? [`@kubernetes-models/cert-manager/${group}/${version}`]
        : [group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`];
    for (const path of candidates) {
        try {
            const mod = await import(path);
            if (mod[kind]) return mod[kind];
        } catch { /* not a known group/version */ }
    }
    return null;
}

async function validateSchemas(name, docs) {
    for (const doc of docs) {
        const where = `${name}: ${doc.kind}/${doc.metadata?.name}`;
        const Model = await modelFor(doc.apiVersion ?? "", doc.kind ?? "");
        if (!Model) { fail(where, `no schema for apiVersion ${doc.apiVersion} kind ${doc.kind}`); continue; }
        try {
            new Model(doc).validate();
        } catch (e) {
            fail(where, `schema: ${e.message}`);
            continue;
        }
        for (const path of unknownFields(Model, doc)) fail(where, `unknown field ${path} (not in the schema)`);
    }
}

/**
 * Fields the schema does not know, such as a misspelt `readinesProbe`: the schema
 * validators accept them (the Kubernetes schemas do not forbid additional properties), while
 * the API server's strict field validation rejects them. The compiled validators read every
 * property their schema defines, so the document is validated once more through proxies
 * that record what was read: a field of an object whose schema lists properties (some were
 * read) and is not a map (its keys were not enumerated) that was never read is unknown.
 */
function unknownFields(Model, doc) {
    const records = [];
    const mirror = (value, path) => {
        if (Array.isArray(value)) return value.map((v, i) => mirror(v, `${path}[${i}]`));
        if (!value || typeof value !== "object") return value;
        const record = { path, keys: Object.keys(value), read: new Set(), enumerated: false };
        records.push(record);
        const target = Object.fromEntries(record.keys.map((k) => [k, mirror(value[k], `${path}.${k}`)]));
        return new Proxy(target, {
            get(t, prop, receiver) {
                if (typeof prop === "string") record.read.add(prop);
                return Reflect.get(t, prop, receiver);
            },
            has(t, prop) {
                if (typeof prop === "string") record.read.add(prop);
                return Reflect.has(t, prop);
            },
            ownKeys(t) {
                record.enumerated = true;
                return Reflect.ownKeys(t);
            },
        });
    };
    const root = mirror(doc, "");
    try {
        Model.prototype.validate.call(root);
    } catch {
        return [];     // reported by the plain validation
    }
    const unknown = [];
    for (const r of records) {
        if (r.enumerated || r.read.size === 0) continue;
        for (const key of r.keys) if (!r.read.has(key)) unknown.push(`${r.path}.${key}`.replace(/^\./, ""));
    }
    return unknown;
}

/** Seconds of a server duration ("500ms", "30s", "2m", "1h", "PT1M"). */
function seconds(text) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(String(text).trim());
    if (m) return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
    const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(String(text).trim());
    if (iso) return (Number(iso[1] ?? 0) * 3600) + (Number(iso[2] ?? 0) * 60) + Number(iso[3] ?? 0);
    return NaN;
}

/** Seconds of a Go duration, as cert-manager writes them ("2160h", "1h30m", "90m"). */
function goSeconds(text) {
    const parts = [...String(text).matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
    if (!parts.length || parts.map((m) => m[0]).join("") !== String(text)) return NaN;
    return parts.reduce((sum, m) => sum + Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2]], 0);
}

/** MiB of a Kubernetes quantity (512Mi, 1Gi, 1G, 1073741824). */
function mebibytes(quantity) {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity));
    if (!m) return NaN;
    const factor = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, k: 1000 / 1048576, M: 1e6 / 1048576,
        G: 1e9 / 1048576, T: 1e12 / 1048576 }[m[2]] ?? 1 / 1048576;
    return Number(m[1]) * factor;
}

/** MiB of a JVM size (256m, 1g, 1048576k, 268435456). */
function jvmMebibytes(size) {
    const m = /^(\d+)([kKmMgG])?$/.exec(size);
    if (!m) return NaN;
    return Number(m[1]) * ({ k: 1 / 1024, m: 1, g: 1024 }[(m[2] ?? "").toLowerCase()] ?? 1 / 1048576);
}

/** The server's variables and their defaults, from `ricochet server --help`. */
function knownVariables(helpFile) {
    const text = readFileSync(helpFile, "utf8").replace(/\s+/g, " ");
    const known = new Map();
    // "Default: none." is the help's way of saying there is none (the TLS files): unset.
    for (const m of text.matchAll(/(?:Default: (\S+?)\. )?Env: (RICOCHET_[A-Z_]+)/g)) known.set(m[2], m[1] === "none" ? undefined : m[1]);
    for (const m of text.matchAll(/\b(RICOCHET_[A-Z_]+) sets/g)) if (!known.has(m[1])) known.set(m[1], undefined);
    if (known.size < 10) throw new Error(`${helpFile}: found only ${known.size} RICOCHET_* variables in the server's --help`);
    return known;
}

function find(docs, kind, name) {
    return docs.find((d) => d.kind === kind && (name === undefined || d.metadata?.name === name));
}

function serverParts(docs) {
    const deployment = docs.find((d) => d.kind === "Deployment"
        && d.spec?.template?.spec?.containers?.some((c) => c.name === "ricochet"));
    if (!deployment) return null;
    const container = deployment.spec.template.spec.containers.find((c) => c.name === "ricochet");
    const refs = (container.envFrom ?? []).filter((e) => e.configMapRef).map((e) => e.configMapRef.name);
    const configMap = refs.length === 1 ? find(docs, "ConfigMap", refs[0]) : undefined;
    return { deployment, container, refs, configMap };
}

function checkConsistency(name, docs, known) {
    const parts = serverParts(docs);
    const loadgen = docs.find((d) => d.kind === "Job" && d.spec?.template?.spec?.containers?.some((c) => c.name === "loadgen"));
    if (loadgen) checkLoadgen(name, loadgen);
    if (!parts) {
        if (!loadgen) fail(name, "neither the ricochet Deployment nor the load generator Job");
        return;
    }
    const { deployment, container, refs, configMap } = parts;
    const where = `${name}: Deployment/${deployment.metadata.name}`;
    if (refs.length !== 1) { fail(where, `envFrom names ${refs.length} ConfigMaps (expected: 1)`); return; }
    if (!configMap) { fail(where, `envFrom names ConfigMap ${refs[0]}, which is not in the rendering`); return; }

    // 1. Every key is a variable the server knows.
    const data = configMap.data ?? {};
    for (const key of Object.keys(data)) {
        if (!known.has(key)) {
            fail(`${name}: ConfigMap/${configMap.metadata.name}`, `key ${key} is not a variable of ricochet server`
                + ` (expected: one of ${[...known.keys()].join(", ")})`);
        }
    }
    for (const env of container.env ?? []) {
        if (env.name.startsWith("RICOCHET_") && !known.has(env.name)) fail(where, `env ${env.name} is not a variable of ricochet server`);
    }
    const setting = (key) => data[key] ?? known.get(key);

    // 2. Ports: the server's, the container's, the Service's, the probes', the policy's.
    const serverPorts = { echo: setting("RICOCHET_ECHO_PORT"), prime: setting("RICOCHET_PRIME_PORT"), admin: setting("RICOCHET_ADMIN_PORT") };
    const containerPorts = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));
    for (const [port, value] of Object.entries(serverPorts)) {
        if (!containerPorts.has(port)) fail(where, `no container port named ${port}`);
        else if (String(containerPorts.get(port)) !== String(value)) {
            fail(where, `container port ${port} is ${containerPorts.get(port)} but the server listens on ${value}`
                + ` (RICOCHET_${port.toUpperCase()}_PORT)`);
        }
    }
    const resolves = (port, expected) => typeof port === "number" ? String(port) === String(serverPorts[expected])
        : port === expected && containerPorts.has(port);
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const get = container[probe]?.httpGet;
        if (!get) { fail(where, `no ${probe} with httpGet`); continue; }
        if (!resolves(get.port, "admin")) fail(where, `${probe} port ${get.port} is not the admin port (${serverPorts.admin})`);
    }
    const labels = deployment.spec.template.metadata?.labels ?? {};
    const selects = (selector) => selector && Object.entries(selector).every(([k, v]) => labels[k] === v);
    const service = docs.find((d) => d.kind === "Service" && selects(d.spec?.selector));
    if (!service) fail(name, "no Service selects the Deployment's pods");
    else {
        const byName = new Map(service.spec.ports.map((p) => [p.name, p]));
        for (const [svcPort, target] of [["echo", "echo"], ["prime", "prime"], ["metrics", "admin"]]) {
            const p = byName.get(svcPort);
            if (!p) fail(`${name}: Service/${service.metadata.name}`, `no port named ${svcPort}`);
            else if (!resolves(p.targetPort ?? p.port, target)) {
                fail(`${name}: Service/${service.metadata.name}`, `port ${svcPort} targets ${p.targetPort}, not the server's ${target} port (${serverPorts[target]})`);
            }
        }
        for (const monitor of docs.filter((d) => d.kind === "ServiceMonitor")) {
            for (const ep of monitor.spec.endpoints ?? []) {
                if (!byName.has(ep.port)) fail(`${name}: ServiceMonitor/${monitor.metadata.name}`, `endpoint port ${ep.port} is not a port of Service ${service.metadata.name}`);
            }
            // The alert rules select job="ricochet": the job label is the Service's name
            // unless the ServiceMonitor sets a jobLabel.
            if (!monitor.spec.jobLabel && service.metadata.name !== "ricochet") {
                fail(`${name}: ServiceMonitor/${monitor.metadata.name}`, `scrapes get job="${service.metadata.name}" but the alert rules select job="ricochet"`);
            }
        }
    }
    for (const policy of docs.filter((d) => d.kind === "NetworkPolicy")) {
        for (const rule of policy.spec.ingress ?? []) {
            for (const p of rule.ports ?? []) {
                const ok = typeof p.port === "number" ? Object.values(serverPorts).map(String).includes(String(p.port)) : containerPorts.has(p.port);
                if (!ok) fail(`${name}: NetworkPolicy/${policy.metadata.name}`, `port ${p.port} is none of the server's ports`);
            }
        }
    }

    // 3. The grace period covers the shutdown delay and grace.
    const delay = seconds(setting("RICOCHET_SHUTDOWN_DELAY"));
    const grace = seconds(setting("RICOCHET_SHUTDOWN_GRACE"));
    const period = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (!(period > delay + grace + MARGIN_SECONDS - 1e-9)) {
        fail(where, `terminationGracePeriodSeconds ${period} is not above shutdown delay ${delay}s + grace ${grace}s`
            + ` + ${MARGIN_SECONDS}s margin (expected: >= ${Math.ceil(delay + grace + MARGIN_SECONDS)})`);
    }

    // 4. Memory: heap share + direct memory + non-heap fit the limit.
    checkMemory(where, container);

    // 5. Autoscaler and replicas; PDB selects the pods.
    const hpa = docs.find((d) => d.kind === "HorizontalPodAutoscaler" && d.spec.scaleTargetRef?.name === deployment.metadata.name);
    if (hpa && deployment.spec.replicas !== undefined) {
        fail(where, `replicas ${deployment.spec.replicas} is set but the autoscaler ${hpa.metadata.name} owns the count`
            + " (every kubectl apply would reset it): leave it out and set the autoscaler's minReplicas");
    }
    if (!hpa) fail(where, "no HorizontalPodAutoscaler scales it");
    const pdb = docs.find((d) => d.kind === "PodDisruptionBudget");
    if (pdb && !selects(pdb.spec.selector?.matchLabels)) fail(`${name}: PodDisruptionBudget/${pdb.metadata.name}`, "does not select the pods");

    // 6. TLS: the files in a Secret volume, the probes' scheme, the Certificate.
    checkTls(name, where, docs, parts, setting, service);

    // 7. The PrometheusRule is the rule files.
    for (const rule of docs.filter((d) => d.kind === "PrometheusRule")) {
        if (canonical(rule.spec.groups) !== canonical(ruleGroups())) {
            fail(`${name}: PrometheusRule/${rule.metadata.name}`, "its groups differ from deploy/prometheus/rules/:"
                + " run node deploy/k8s/tools/generate-prometheusrule.mjs");
        }
    }
}

/**
 * Where a TLS file of the server comes from: the Secret volume mounted as a directory that
 * holds the path. A subPath mount is refused: it binds the file of the pod's start, and the
 * kubelet's updates of a Secret volume (a swap of the ..data symlink in the directory)
 * never reach it, so a renewed certificate would not be served until the pod restarts.
 */
function secretMount(pod, container, path) {
    const under = (mountPath) => path === mountPath || path.startsWith(mountPath.replace(/\/*$/, "/"));
    const mounts = (container.volumeMounts ?? []).filter((m) => under(m.mountPath))
        .sort((a, b) => b.mountPath.length - a.mountPath.length);
    if (!mounts.length) return { error: "in no volume of the container (expected: a Secret volume mounted as a directory)" };
    const mount = mounts[0];
    if (mount.subPath || mount.subPathExpr) {
        return { error: `mounted through subPath ${mount.subPath ?? mount.subPathExpr}, which never sees the Secret's`
            + " renewals (expected: the whole Secret volume as a directory)" };
    }
    const volume = (pod.volumes ?? []).find((v) => v.name === mount.name);
    const secretName = volume?.secret?.secretName;
    if (!secretName) return { error: `in volume ${mount.name}, which is no Secret volume` };
    if (!mount.readOnly) return { error: `in volume ${mount.name}, mounted writable (expected: readOnly)` };
    return { secretName, mountPath: mount.mountPath };
}

function checkTls(name, where, docs, parts, setting, service) {
    const { deployment, container } = parts;
    const secrets = new Set();
    for (const key of TLS_FILES) {
        const path = setting(key);
        if (!path) continue;
        const found = secretMount(deployment.spec.template.spec, container, path);
        if (found.error) fail(where, `${key}=${path} is ${found.error}`);
        else secrets.add(found.secretName);
    }
    if (Boolean(setting("RICOCHET_TLS_CERT")) !== Boolean(setting("RICOCHET_TLS_KEY"))) {
        fail(where, "RICOCHET_TLS_CERT and RICOCHET_TLS_KEY go together (one is set, the other not)");
    }

    // The kubelet's probes and the ServiceMonitor speak to the admin port in its scheme.
    const adminTls = /^(true|yes|on|1)$/i.test(String(setting("RICOCHET_ADMIN_TLS") ?? "false"));
    const scheme = adminTls ? "HTTPS" : "HTTP";
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const get = container[probe]?.httpGet;
        if (get && (get.scheme ?? "HTTP") !== scheme) {
            fail(where, `${probe} scheme ${get.scheme ?? "HTTP"} but the admin port speaks ${scheme} (RICOCHET_ADMIN_TLS=${adminTls})`);
        }
    }
    for (const monitor of docs.filter((d) => d.kind === "ServiceMonitor")) {
        for (const ep of monitor.spec.endpoints ?? []) {
            if ((ep.scheme ?? "http").toUpperCase() !== scheme) {
                fail(`${name}: ServiceMonitor/${monitor.metadata.name}`, `endpoint scheme ${ep.scheme ?? "http"} but the admin port speaks ${scheme}`);
            }
        }
    }

    // A Certificate of the rendering writes each mounted Secret (where there are Certificates).
    const certificates = docs.filter((d) => d.kind === "Certificate" && String(d.apiVersion).startsWith("cert-manager.io/"));
    if (!certificates.length) return;
    for (const secret of secrets) {
        const certificate = certificates.find((c) => c.spec?.secretName === secret);
        if (!certificate) {
            fail(where, `mounts Secret ${secret} for TLS but no Certificate writes it (they write: `
                + `${certificates.map((c) => c.spec?.secretName).join(", ")})`);
        } else {
            checkCertificate(`${name}: Certificate/${certificate.metadata.name}`, certificate, docs, service);
        }
    }
}

/** The server's cert-manager Certificate: names, renewal, key, issuer. */
function checkCertificate(where, certificate, docs, service) {
    const spec = certificate.spec;
    if (service) {
        const svc = service.metadata.name;
        const ns = service.metadata.namespace ?? certificate.metadata.namespace;
        const wanted = [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`];
        const missing = wanted.filter((n) => !(spec.dnsNames ?? []).includes(n));
        if (missing.length) fail(where, `dnsNames lack ${missing.join(", ")}: clients reach Service ${svc} by those names`);
    }
    // cert-manager's defaults: 90 days, renewed with a third left.
    const duration = spec.duration ? goSeconds(spec.duration) : 90 * 86400;
    const renewBefore = spec.renewBefore ? goSeconds(spec.renewBefore)
        : spec.renewBeforePercentage ? duration * spec.renewBeforePercentage / 100 : duration / 3;
    if (!(duration > 0 && renewBefore > 0)) fail(where, `duration ${spec.duration} or renewBefore ${spec.renewBefore} is no Go duration`);
    else {
        if (renewBefore >= duration) fail(where, `renewBefore ${spec.renewBefore} is not below duration ${spec.duration ?? "2160h"}`);
        const alert = expiryAlertSeconds();
        if (!(renewBefore > alert)) {
            fail(where, `renews ${renewBefore / 86400} days before the end, after ${EXPIRY_ALERT} fires`
                + ` (${alert / 86400} days before): every renewal would page`);
        }
    }
    const key = spec.privateKey ?? {};
    if (key.encoding !== "PKCS8") {
        fail(where, `privateKey.encoding ${key.encoding ?? "PKCS1 (the default)"} (expected: PKCS8, the form the server reads`
            + " with either TLS provider)");
    }
    if (key.rotationPolicy !== "Always") {
        fail(where, `privateKey.rotationPolicy ${key.rotationPolicy ?? "(default)"} (expected: Always, a new key with each`
            + " certificate; the default was Never before cert-manager 1.18)");
    }
    const issuer = spec.issuerRef ?? {};
    if ((issuer.group ?? "cert-manager.io") === "cert-manager.io" && (issuer.kind ?? "Issuer") === "Issuer"
            && !docs.some((d) => d.kind === "Issuer" && d.metadata?.name === issuer.name)) {
        fail(where, `issuerRef names Issuer ${issuer.name}, which is not in the rendering (a ClusterIssuer may live elsewhere; an Issuer is namespaced)`);
    }
}

/** The seconds before the end at which the expiry alert fires, from its rule. */
function expiryAlertSeconds() {
    const rule = ruleGroups().flatMap((g) => g.rules ?? []).find((r) => r.alert === EXPIRY_ALERT);
    const threshold = Number(/<\s*([0-9.eE+]+)\s*$/.exec(rule?.expr ?? "")?.[1]);
    if (!(threshold > 0)) throw new Error(`deploy/prometheus/rules/: no ${EXPIRY_ALERT} of the form "... - time() < SECONDS"`);
    return threshold;
}

/** The JVM's heap share, direct memory and non-heap parts fit the container's memory limit. */
function checkMemory(where, container) {
    const limit = mebibytes(container.resources?.limits?.memory);
    if (!(limit > 0)) { fail(where, "no memory limit"); return; }
    const opts = (container.env ?? []).find((e) => e.name === "JDK_JAVA_OPTIONS")?.value ?? "";
    const pct = Number(/-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)/.exec(opts)?.[1] ?? 40);
    const heap = limit * pct / 100;
    const directText = /-XX:MaxDirectMemorySize=(\S+)/.exec(opts)?.[1];
    const direct = directText ? jvmMebibytes(directText) : heap;
    if (heap + direct + NON_HEAP_MIB > limit) {
        fail(where, `heap ${heap.toFixed(0)} MiB (${pct}%) + direct ${direct.toFixed(0)} MiB + ${NON_HEAP_MIB} MiB non-heap`
            + ` exceed the memory limit of ${limit} MiB`);
    }
    if (container.resources?.requests?.memory && mebibytes(container.resources.requests.memory) !== limit) {
        fail(where, "memory request differs from the limit (expected: equal, so the pod is not OOM-killed first under node pressure)");
    }
}

/** JSON with object keys sorted (kustomize sorts them; the rule files need not). */
function canonical(value) {
    return JSON.stringify(value, (key, v) => v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v);
}

function checkLoadgen(name, job) {
    const spec = job.spec;
    const pod = spec.template.spec;
    const container = pod.containers.find((c) => c.name === "loadgen");
    const args = container.args ?? [];
    const arg = (option) => args.find((a) => a.startsWith(`${option}=`))?.slice(option.length + 1);
    const where = `${name}: Job/${job.metadata.name}`;

    // 1. One shard per pod, every pod at once: the Job controller gives each pod its index.
    if (spec.completionMode !== "Indexed") {
        fail(where, `completionMode ${spec.completionMode ?? "NonIndexed"} (expected: Indexed, so that each pod`
            + " finds its shard in JOB_COMPLETION_INDEX)");
    }
    if (arg("--shard") !== undefined) fail(where, `--shard=${arg("--shard")} runs one shard in every pod (expected: --shards=N)`);
    const shards = Number(arg("--shards"));
    if (!(Number.isInteger(shards) && shards >= 1)) fail(where, `no --shards=N (expected: --shards=${spec.completions}, the completions)`);
    else {
        if (spec.completions !== shards) fail(where, `completions ${spec.completions} but --shards=${shards} (expected: equal, a pod per shard)`);
        if (spec.parallelism !== shards) {
            fail(where, `parallelism ${spec.parallelism} but --shards=${shards} (expected: equal: every shard starts at --start-at,`
                + " so every pod runs at once)");
        }
    }

    // 2. The report in the pod's log, where collect.sh reads it.
    if (arg("--json") !== "-") fail(where, `--json=${arg("--json") ?? "(none)"} (expected: --json=-, the report in the pod's log)`);

    // 3. One instant for every pod, filled at apply time: $(VAR) from a ConfigMap's key.
    const startAt = arg("--start-at");
    const variable = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(startAt ?? "")?.[1];
    if (!variable) {
        fail(where, `--start-at=${startAt ?? "(none)"} (expected: --start-at=$(VAR), VAR read from the ConfigMap made`
            + " before the Job: an instant written here is past at the next run)");
    } else {
        const ref = (container.env ?? []).find((e) => e.name === variable)?.valueFrom?.configMapKeyRef;
        if (!ref) fail(where, `--start-at=$(${variable}) but no env ${variable} from a configMapKeyRef (expected: one ConfigMap key every pod reads)`);
        else if (ref.optional) fail(where, `env ${variable}: optional configMapKeyRef (without the ConfigMap the kubelet would pass '$(${variable})' as is)`);
    }

    // 4. No retry: a shard started again would start after --start-at.
    if (pod.restartPolicy !== "Never") fail(where, `restartPolicy ${pod.restartPolicy} (expected: Never)`);
    if (spec.backoffLimitPerIndex !== 0) {
        fail(where, `backoffLimitPerIndex ${spec.backoffLimitPerIndex ?? "(unset)"} (expected: 0: a retried shard would start after`
            + " --start-at; and the other shards must run on to report)");
    }
    const needed = START_AT_LEAD_SECONDS + seconds(arg("--duration") ?? "30s") + 60;
    if (!(spec.activeDeadlineSeconds >= needed)) {
        fail(where, `activeDeadlineSeconds ${spec.activeDeadlineSeconds ?? "(unset)"} (expected: at least ${needed}: the`
            + ` ${START_AT_LEAD_SECONDS} s lead to --start-at, --duration and a minute for the report)`);
    }

    // 5. A shard's connections to the one Service address fit its local ports; its JVM fits.
    const perShard = Math.ceil(Number(arg("--connections") ?? 100) / (shards || 1));
    const range = (pod.securityContext?.sysctls ?? []).find((c) => c.name === "net.ipv4.ip_local_port_range")?.value
        ?? DEFAULT_PORT_RANGE;
    const [low, high] = range.trim().split(/\s+/).map(Number);
    if (perShard > high - low + 1) {
        fail(where, `${perShard} connections per shard to one Service address, but ${high - low + 1} local ports`
            + ` (${range}): more shards, or a wider net.ipv4.ip_local_port_range`);
    }
    checkMemory(where, container);

    // 6. The spread counts this Job's pods (a selector that matches none spreads nothing).
    const labels = spec.template.metadata?.labels ?? {};
    for (const constraint of pod.topologySpreadConstraints ?? []) {
        const selector = constraint.labelSelector?.matchLabels ?? {};
        if (!Object.keys(selector).length || !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
            fail(where, `topologySpreadConstraint on ${constraint.topologyKey} does not select the Job's own pods`);
        }
    }

    // 7. The target is the Service (of the production rendering); the pods it keeps away
    //    from are the server's.
    const target = arg("--target");
    if (!target) { fail(where, "no --target"); return; }
    const production = loadDocs(process.env.RICOCHET_SERVICE_RENDER ?? "/dev/null");
    const server = serverParts(production)?.deployment.spec.template.metadata?.labels;
    for (const term of pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        const selector = term.podAffinityTerm?.labelSelector?.matchLabels ?? {};
        if (server && !Object.entries(selector).every(([k, v]) => server[k] === v)) {
            fail(where, `podAntiAffinity selects ${JSON.stringify(selector)}, not the server's pods`);
        }
    }
    const service = production.find((d) => d.kind === "Service");
    if (!service) return;
    const [host, port] = target.split(":");
    const hostOk = [service.metadata.name, `${service.metadata.name}.${service.metadata.namespace}`,
        `${service.metadata.name}.${service.metadata.namespace}.svc`].includes(host.replace(/\.cluster\.local$/, ""));
    if (!hostOk) fail(where, `--target host ${host} is not the Service ${service.metadata.name}`);
    if (service.metadata.namespace && job.metadata.namespace !== service.metadata.namespace && !host.includes(".")) {
        fail(where, `runs in namespace ${job.metadata.namespace} but the Service is in ${service.metadata.namespace}`);
    }
    checkLoadgenTls(where, production, pod, container, args, arg);
    const workload = arg("--workload") ?? "echo";
    const svcPort = service.spec.ports.find((p) => p.name === (workload === "prime" ? "prime" : "echo"));
    if (String(svcPort?.port) !== port) fail(where, `--target port ${port} is not the Service's ${workload} port ${svcPort?.port}`);
}

/**
 * A Job against a server that speaks TLS speaks TLS too, and trusts the CA of the server's
 * Secret (its ca.crt), mounted from that Secret as a directory: --tls --tls-ca=FILE.
 */
function checkLoadgenTls(where, production, pod, container, args, arg) {
    const server = serverParts(production);
    const certificate = server?.configMap?.data?.RICOCHET_TLS_CERT;
    if (!certificate) return;
    const expected = "expected: --tls with --tls-ca, the CA in the server's Secret's ca.crt, mounted from that Secret";
    if (!args.includes("--tls")) {
        fail(where, `--target is the Service of a server that speaks TLS (RICOCHET_TLS_CERT is set) but the Job has no --tls (${expected})`);
        return;
    }
    const ca = arg("--tls-ca");
    if (!ca) { fail(where, `--tls without --tls-ca: it would trust the JDK's public CAs, not the server's (${expected})`); return; }
    const serverSecret = secretMount(server.deployment.spec.template.spec, server.container, certificate).secretName;
    const found = secretMount(pod, container, ca);
    if (found.error) { fail(where, `--tls-ca=${ca} is ${found.error}`); return; }
    if (serverSecret && found.secretName !== serverSecret) {
        fail(where, `--tls-ca=${ca} is in Secret ${found.secretName}, not the server's ${serverSecret} (${expected})`);
    }
    // The Secret's key behind the file: the path under the mount, through the volume's items.
    const relative = ca.slice(found.mountPath.replace(/\/*$/, "/").length);
    const volume = pod.volumes.find((v) => v.secret?.secretName === found.secretName
        && (container.volumeMounts ?? []).some((m) => m.name === v.name && m.mountPath === found.mountPath));
    const items = volume?.secret?.items;
    const key = items ? items.find((i) => i.path === relative)?.key : relative;
    if (key !== "ca.crt") {
        fail(where, `--tls-ca=${ca} is the Secret's ${key ?? "(no item)"}, not its ca.crt (${expected})`);
    }
}

const args = process.argv.slice(2);
if (args[0] === "--print-env") {
    const parts = serverParts(loadDocs(args[1]));
    if (!parts?.configMap) { console.error(`${args[1]}: no ricochet Deployment with its ConfigMap`); process.exit(1); }
    for (const [k, v] of Object.entries(parts.configMap.data ?? {})) console.log(`${k}=${v}`);
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        if (parts.container[probe]?.httpGet) console.log(`probe ${parts.container[probe].httpGet.path}`);
    }
    const mounts = new Set();
    for (const key of TLS_FILES) {
        const path = parts.configMap.data?.[key];
        const found = path && secretMount(parts.deployment.spec.template.spec, parts.container, path);
        if (found?.mountPath) mounts.add(found.mountPath);
    }
    for (const mount of mounts) console.log(`tls-mount ${mount}`);
    process.exit(0);
}
if (args[0] !== "--help-text" || args.length < 3) {
    console.error("usage: node check.mjs --help-text FILE NAME=RENDERED.yaml ... | --print-env RENDERED.yaml");
    process.exit(2);
}
const known = knownVariables(args[1]);
for (const spec of args.slice(2)) {
    const [name, file] = spec.split("=");
    const docs = loadDocs(file);
    await validateSchemas(name, docs);
    checkConsistency(name, docs, known);
    console.log(`${name}: ${docs.length} objects (${[...new Set(docs.map((d) => d.kind))].join(", ")})`);
}
if (errors.length) {
    for (const e of errors) console.error(`FAIL: ${e}`);
    process.exit(1);
}
console.log(`ok: ${args.length - 2} renderings valid and consistent with ricochet server (${known.size} variables known)`);
