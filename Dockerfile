# The image of healthy: nothing but the static binary /healthy, to copy into your own image:
#
#   docker build -t healthy .
#   # in your Dockerfile:
#   COPY --from=healthy /healthy /healthy
#   HEALTHCHECK CMD ["/healthy", "proc:nginx", "tcp:80"]
#
# Use the exec form (a JSON list): the shell form, HEALTHCHECK CMD /healthy ...,
# runs /bin/sh -c, which an image built FROM scratch or distroless does not have.
#
# The builder is Debian 12 with its musl-gcc, as `make` expects; the binary is
# built exactly as `make` builds it on a Debian 12 host. No stage pulls anything
# but debian:12 and its packages.

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make gcc libc6-dev musl-tools xz-utils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
# BearSSL (TLS), from Debian's source package, as make deps fetches it.
RUN make deps-bearssl
COPY src/ src/
RUN make healthy

FROM scratch
COPY --from=build /src/healthy /healthy
ENTRYPOINT ["/healthy"]
CMD ["--help"]
