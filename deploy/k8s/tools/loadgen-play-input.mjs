// Turns the rendered load generator Job into the input of `podman kube play`, which plays
// no Job: what the Job controller, the kubelet and the Service would do for it, done here.
//  - the ConfigMap the Job's --start-at reads, with the instant START_AT;
//  - one Pod per completion index I, from the Job's pod template, as the Job controller makes
//    them: the index in JOB_COMPLETION_INDEX and in the labels
//    batch.kubernetes.io/job-completion-index and batch.kubernetes.io/job-name, hostname
//    NAME-I; the image replaced by a local one;
//  - the args' $(VAR) references expanded from the container's env (values, and keys of the
//    ConfigMaps given here), as the kubelet does: podman 4.3 passes them on as they are;
//  - the Service's name resolving to the server pod's address (hostAliases: no cluster DNS);
//  - each pod's emptyDir volumes named after the pod (podman shares volumes by name);
//  - then each --OPTION=VALUE given replaces that option's argument (a smaller, shorter run),
//    and each drop:--OPTION removes that option's argument, --OPTION or --OPTION=VALUE (the
//    Job's --tls and --tls-ca, against a plaintext server); each must match one: an option the
//    Job no longer has is an error, not a silent no-op;
//  - a Secret volume that held only files of dropped arguments (--tls-ca's, from the server's
//    Secret) goes with them: nothing plays that Secret, and podman would look for it.
// The pods are named NAME-I, so that runs side by side do not share a pod name.
// Usage: node loadgen-play-input.mjs RENDERED.yaml IMAGE SERVICE_IP START_AT NAME [--OPTION=VALUE | drop:--OPTION ...] > play.yaml
import { readFileSync } from "node:fs";
import YAML from "yaml";

const [file, image, serviceIp, startAt, name, ...overrides] = process.argv.slice(2);
const die = (message) => { console.error(`loadgen-play-input: ${message}`); process.exit(1); };
if (!name) {
    console.error("usage: node loadgen-play-input.mjs RENDERED.yaml IMAGE SERVICE_IP START_AT NAME [--OPTION=VALUE | drop:--OPTION ...]");
    process.exit(2);
}
const docs = YAML.parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter((d) => d);
const job = docs.find((d) => d.kind === "Job");
if (!job) die(`${file}: no Job`);
if (job.spec.completionMode !== "Indexed") die(`${file}: Job/${job.metadata.name} is not an Indexed Job`);
const template = job.spec.template;
const container = template.spec.containers.find((c) => c.name === "loadgen");
if (!container) die(`${file}: no container named loadgen`);

// The ConfigMap(s) the container's env reads keys of: the start instant is the only key.
const configMaps = new Map();
for (const env of container.env ?? []) {
    const ref = env.valueFrom?.configMapKeyRef;
    if (!ref) continue;
    if (ref.key !== "start-at") die(`env ${env.name} reads key ${ref.key} of ConfigMap ${ref.name}: only start-at is known here`);
    configMaps.set(ref.name, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: ref.name }, data: { "start-at": startAt } });
}

// The kubelet's expansion: $(VAR) of a defined variable becomes its value, $$ becomes $,
// anything else stays as written.
function expand(text, variables) {
    return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, variable) =>
        match === "$$" ? "$" : variables.has(variable) ? variables.get(variable) : match);
}

const [targetHost] = ((container.args ?? []).find((a) => a.startsWith("--target=")) ?? "").slice("--target=".length).split(":");
if (!targetHost) die("the Job's container has no --target=HOST:PORT");
/**
 * Removes the Secret volumes (and their mounts) in which a dropped argument named a file and
 * no argument left does: the Job's CA from the server's Secret, once --tls-ca is dropped.
 */
function dropSecretVolumesOnlyFor(pod, main, dropped) {
    const under = (path, mountPath) => path === mountPath || path.startsWith(mountPath.replace(/\/*$/, "/"));
    const names = (args) => args.filter((a) => a.includes("=")).map((a) => a.slice(a.indexOf("=") + 1));
    const droppedPaths = names(dropped);
    const keptPaths = names(main.args);
    for (const mount of [...(main.volumeMounts ?? [])]) {
        const volume = (pod.spec.volumes ?? []).find((v) => v.name === mount.name);
        if (!volume?.secret) continue;
        if (!droppedPaths.some((p) => under(p, mount.mountPath)) || keptPaths.some((p) => under(p, mount.mountPath))) continue;
        main.volumeMounts = main.volumeMounts.filter((m) => m !== mount);
        pod.spec.volumes = pod.spec.volumes.filter((v) => v !== volume);
    }
}

const pods = [];
for (let index = 0; index < job.spec.completions; index++) {
    const pod = structuredClone(template);
    const main = pod.spec.containers.find((c) => c.name === "loadgen");
    main.image = image;
    main.imagePullPolicy = "Never";
    main.env = [...(main.env ?? []), { name: "JOB_COMPLETION_INDEX", value: String(index) }];
    const variables = new Map();
    for (const env of main.env) {
        const ref = env.valueFrom?.configMapKeyRef;
        if (env.value !== undefined) variables.set(env.name, expand(String(env.value), variables));
        else if (ref) variables.set(env.name, configMaps.get(ref.name).data[ref.key]);
    }
    main.args = (main.args ?? []).map((a) => expand(a, variables));
    const unresolved = main.args.find((a) => /\$\([A-Za-z_]/.test(a));
    if (unresolved) die(`argument ${unresolved}: a variable the container does not define (the load generator would get it as is)`);
    const dropped = [];
    for (const override of overrides) {
        const drop = override.startsWith("drop:");
        const option = drop ? override.slice("drop:".length) : override.split("=")[0];
        if (!option.startsWith("--") || (!drop && !override.includes("="))) {
            die(`${override}: expected --OPTION=VALUE (replace) or drop:--OPTION (remove)`);
        }
        const at = main.args.findIndex((a) => a.split("=")[0] === option);
        if (at < 0) die(`${override}: the Job has no ${option} argument to ${drop ? "drop" : "replace"}`);
        if (drop) dropped.push(...main.args.splice(at, 1));
        else main.args[at] = override;
    }
    dropSecretVolumesOnlyFor(pod, main, dropped);
    // An emptyDir is the pod's own; podman 4.3 plays it as a named volume that every pod
    // with a volume of that name shares (one /tmp for all the JVMs): a name per pod.
    for (const volume of (pod.spec.volumes ?? []).filter((v) => v.emptyDir)) {
        const own = `${name}-${index}-${volume.name}`;
        for (const mount of pod.spec.containers.flatMap((c) => c.volumeMounts ?? []).filter((m) => m.name === volume.name)) {
            mount.name = own;
        }
        volume.name = own;
    }
    pod.spec.hostname = `${job.metadata.name}-${index}`;
    pod.spec.hostAliases = [...(pod.spec.hostAliases ?? []), { ip: serviceIp, hostnames: [targetHost] }];
    pod.metadata = {
        name: `${name}-${index}`,
        labels: {
            ...(template.metadata?.labels ?? {}),
            "batch.kubernetes.io/job-name": job.metadata.name,
            "batch.kubernetes.io/job-completion-index": String(index),
            "ricochet.dev/play": name,
        },
        annotations: { "batch.kubernetes.io/job-completion-index": String(index) },
    };
    pods.push({ apiVersion: "v1", kind: "Pod", ...pod });
}
process.stdout.write([...configMaps.values(), ...pods].map((d) => YAML.stringify(d, { lineWidth: 0 })).join("---\n"));
