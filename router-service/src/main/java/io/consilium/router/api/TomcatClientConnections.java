package io.consilium.router.api;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.AbstractProcessor;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches the socket behind a Tomcat request so a closed client can be noticed before anything is
 * written. The servlet API has no such call and Tomcat watches a connection only while it expects to
 * read, so this goes through Tomcat's internals; when they are not as expected (another server, a
 * changed Tomcat) connections are simply reported as unobservable.
 */
final class TomcatClientConnections {

    private static final Logger log = LoggerFactory.getLogger(TomcatClientConnections.class);
    private static final @Nullable Access ACCESS = Access.find();

    private TomcatClientConnections() {}

    static ClientConnection of(ServletRequest request) {
        ServletRequest unwrapped = request;
        while (unwrapped instanceof ServletRequestWrapper wrapper) {
            unwrapped = wrapper.getRequest();
        }
        if (ACCESS == null || !(unwrapped instanceof RequestFacade facade)) {
            return ClientConnection.UNOBSERVABLE;
        }
        SocketWrapperBase<?> socket = ACCESS.socketOf(facade);
        // Only the NIO connector's readiness check is a plain non-blocking read into Tomcat's own buffer.
        if (!(socket instanceof NioEndpoint.NioSocketWrapper)) {
            return ClientConnection.UNOBSERVABLE;
        }
        return () -> {
            if (socket.isClosed()) {
                return true;
            }
            try {
                // Reads what is waiting into Tomcat's buffer (kept for the next request) or nothing;
                // a connection the client closed answers with an end-of-stream exception.
                socket.isReadyForRead();
                return false;
            } catch (IOException closed) {
                return true;
            }
        };
    }

    /** The reflective path from the servlet request facade to the socket wrapper. */
    private record Access(Field facadeRequest, Field coyoteHook, Method socketWrapper) {

        static @Nullable Access find() {
            try {
                Field facadeRequest = RequestFacade.class.getDeclaredField("request");
                Field coyoteHook = org.apache.coyote.Request.class.getDeclaredField("hook");
                Method socketWrapper = AbstractProcessor.class.getDeclaredMethod("getSocketWrapper");
                facadeRequest.setAccessible(true);
                coyoteHook.setAccessible(true);
                socketWrapper.setAccessible(true);
                return new Access(facadeRequest, coyoteHook, socketWrapper);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.warn("Client disconnects cannot be observed on this Tomcat ({}); expert calls then run "
                        + "to their deadline when a client leaves early", e.toString());
                return null;
            }
        }

        @Nullable SocketWrapperBase<?> socketOf(RequestFacade facade) {
            try {
                var connectorRequest = (org.apache.catalina.connector.Request) facadeRequest.get(facade);
                Object hook = coyoteHook.get(connectorRequest.getCoyoteRequest());
                return hook instanceof AbstractProcessor processor
                        ? (SocketWrapperBase<?>) socketWrapper.invoke(processor) : null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
