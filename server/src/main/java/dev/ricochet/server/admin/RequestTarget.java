package dev.ricochet.server.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Locale;

/**
 * The path a request target names, in either form a server must accept (RFC 9112 section
 * 3.2): origin form ({@code /health/live?x}), what clients send to a server, and absolute
 * form ({@code http://host:8080/health/live?x}), what they send to a proxy, and what a server
 * must accept all the same (section 3.2.2). Only the path routes: the query is ignored, and so
 * is the authority of an absolute target (it names this server however the client reached it,
 * by address, name or a proxy's view), but the scheme must be http or https and the authority
 * must have a host and no user information (RFC 9110 sections 4.2.1 and 4.2.4).
 */
final class RequestTarget {

    private static final String SCHEME_END = "://";

    private RequestTarget() {
    }

    /**
     * @param target the request line's target, as the decoder read it
     * @return the path, {@code /} for an absolute target without one; null for an absolute
     *         target that is not an http(s) URI with a host (a 400); any other target is
     *         taken as origin form (the asterisk form {@code *} is a path no endpoint has)
     */
    static String path(String target) {
        int schemeEnd = target.indexOf(SCHEME_END);
        if (schemeEnd < 0 || target.startsWith("/")) {
            return new QueryStringDecoder(target).path();
        }
        String scheme = target.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        int authorityStart = schemeEnd + SCHEME_END.length();
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length() && "/?#".indexOf(target.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = target.substring(authorityStart, authorityEnd);
        if (authority.isEmpty() || authority.startsWith(":") || authority.indexOf('@') >= 0) {
            return null;
        }
        String path = new QueryStringDecoder(target.substring(authorityEnd)).path();
        return path.isEmpty() ? "/" : path;
    }
}
