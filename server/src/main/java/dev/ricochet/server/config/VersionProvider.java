package dev.ricochet.server.config;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the jar's manifest at build time. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"ricochet server " + (version != null ? version : "(development build)")};
    }
}
