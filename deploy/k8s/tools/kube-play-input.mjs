// Turns a rendered overlay into the input of `podman kube play`: only the ricochet
// Deployment and its ConfigMap (podman plays no Service, autoscaler or policy), the image
// replaced by a local one, and the three container ports published on 127.0.0.1 only
// (hostIP/hostPort: podman's way to reach a pod without a cluster network).
// The Deployment is renamed to NAME, so that runs side by side do not share a pod name.
// Usage: node kube-play-input.mjs RENDERED.yaml IMAGE ECHO_PORT PRIME_PORT ADMIN_PORT NAME > play.yaml
import { readFileSync } from "node:fs";
import YAML from "yaml";

const [file, image, echoPort, primePort, adminPort, name] = process.argv.slice(2);
if (!name) {
    console.error("usage: node kube-play-input.mjs RENDERED.yaml IMAGE ECHO_PORT PRIME_PORT ADMIN_PORT NAME");
    process.exit(2);
}
const docs = YAML.parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter((d) => d);
const deployment = docs.find((d) => d.kind === "Deployment" && d.metadata.name === "ricochet");
if (!deployment) { console.error(`${file}: no Deployment named ricochet`); process.exit(1); }
const container = deployment.spec.template.spec.containers.find((c) => c.name === "ricochet");
const configMapNames = (container.envFrom ?? []).filter((e) => e.configMapRef).map((e) => e.configMapRef.name);
const configMaps = docs.filter((d) => d.kind === "ConfigMap" && configMapNames.includes(d.metadata.name));
if (configMaps.length !== configMapNames.length) { console.error(`${file}: the Deployment's ConfigMap is missing`); process.exit(1); }
deployment.metadata.name = name;
container.image = image;
container.imagePullPolicy = "Never";
const hostPorts = { echo: echoPort, prime: primePort, admin: adminPort };
for (const port of container.ports) {
    if (!hostPorts[port.name]) { console.error(`unexpected container port ${port.name}`); process.exit(1); }
    port.hostIP = "127.0.0.1";
    port.hostPort = Number(hostPorts[port.name]);
}
process.stdout.write([...configMaps, deployment].map((d) => YAML.stringify(d, { lineWidth: 0 })).join("---\n"));
