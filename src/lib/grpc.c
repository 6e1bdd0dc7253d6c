#include "grpc.h"

#include <stdint.h>
#include <string.h>

#include "scan.h"

enum { DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION };
enum { END_STREAM = 1, ACK = 1, END_HEADERS = 4, PADDED = 8, PRIORITY_FLAG = 0x20 };

/* The k-th of count names, one after another in list; NULL past them. */
static const char *nth(const char *list, unsigned k, unsigned count)
{
	if (k >= count)
		return NULL;
	while (k--)
		list += strlen(list) + 1;
	return list;
}

const char *grpc_h2_error(unsigned code)
{
	return nth("NO_ERROR\0PROTOCOL_ERROR\0INTERNAL_ERROR\0FLOW_CONTROL_ERROR\0SETTINGS_TIMEOUT\0STREAM_CLOSED\0"
		   "FRAME_SIZE_ERROR\0REFUSED_STREAM\0CANCEL\0COMPRESSION_ERROR\0CONNECT_ERROR\0ENHANCE_YOUR_CALM\0"
		   "INADEQUATE_SECURITY\0HTTP_1_1_REQUIRED", code, 14);
}

const char *grpc_status_name(unsigned code)
{
	return nth("OK\0CANCELLED\0UNKNOWN\0INVALID_ARGUMENT\0DEADLINE_EXCEEDED\0NOT_FOUND\0ALREADY_EXISTS\0"
		   "PERMISSION_DENIED\0RESOURCE_EXHAUSTED\0FAILED_PRECONDITION\0ABORTED\0OUT_OF_RANGE\0UNIMPLEMENTED\0"
		   "INTERNAL\0UNAVAILABLE\0DATA_LOSS\0UNAUTHENTICATED", code, 17);
}

static unsigned char *frame_head(unsigned char *o, size_t len, unsigned type, unsigned flags, unsigned stream)
{
	*o++ = (unsigned char)(len >> 16);
	*o++ = (unsigned char)(len >> 8);
	*o++ = (unsigned char)len;
	*o++ = (unsigned char)type;
	*o++ = (unsigned char)flags;
	*o++ = 0;
	*o++ = 0;
	*o++ = 0;
	*o++ = (unsigned char)stream;
	return o;
}

/* RFC 7541 5.1: v with a prefix of bits bits, the high bits of the first byte first. */
static unsigned char *hint(unsigned char *o, unsigned first, unsigned bits, size_t v)
{
	unsigned mask = (1u << bits) - 1;

	if (v < mask) {
		*o++ = (unsigned char)(first | v);
		return o;
	}
	*o++ = (unsigned char)(first | mask);
	for (v -= mask; v >= 128; v >>= 7)
		*o++ = (unsigned char)(v | 128);
	*o++ = (unsigned char)v;
	return o;
}

/* A string literal, not Huffman-coded; lower: in lower case, as HTTP/2 wants a header's name. */
static unsigned char *hstr(unsigned char *o, const char *s, size_t n, bool lower)
{
	size_t i;

	o = hint(o, 0, 7, n);
	for (i = 0; i < n; i++)
		*o++ = (unsigned char)(lower && s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	return o;
}

/* A field without indexing, by the static table's name idx (RFC 7541 6.2.2). */
static unsigned char *field(unsigned char *o, unsigned idx, const char *v, size_t n)
{
	return hstr(hint(o, 0, 4, idx), v, n, false);
}

size_t grpc_request(unsigned char *out, const struct grpc_call *call)
{
	/* The pseudo-headers first (RFC 9113 8.3): :authority comes between these two. */
	static const char head[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
				   /* SETTINGS_ENABLE_PUSH 0: no PUSH_PROMISE to read. */
				   "\0\0\6\4\0\0\0\0\0" "\0\2\0\0\0\0"
				   /* HEADERS, END_HEADERS, stream 1 (its length set below); :method POST, :scheme http */
				   "\0\0\0\1\4\0\0\0\1" "\x83\x86" "\x04\x1c/grpc.health.v1.Health/Check";
	static const char tail[] = "\x0f\x10\x10" "application/grpc" "\0\2te\x08trailers";
	/* The header block starts after the preface (24 bytes), SETTINGS (9 + 6) and HEADERS' own head (9). */
	unsigned char *o = out + sizeof(head) - 1, *block = out + 24 + 15 + 9;
	size_t i;

	memcpy(out, head, sizeof(head) - 1);
	o = field(o, 1, call->authority, call->authority_len);
	memcpy(o, tail, sizeof(tail) - 1);
	o += sizeof(tail) - 1;
	if (call->user_agent)
		o = field(o, 58, call->user_agent, strlen(call->user_agent));
	for (i = 0; i < call->nhdr; i++) {
		const char *h = call->hdr[i];
		size_t n = call->hdr_len[i], name = (size_t)((const char *)memchr(h, ':', n) - h), v = name + 1;

		while (v < n && (h[v] == ' ' || h[v] == '\t'))
			v++;
		*o++ = 0;
		o = hstr(hstr(o, h, name, true), h + v, n - v, false);
	}
	frame_head(block - 9, (size_t)(o - block), HEADERS, END_HEADERS, 1);
	/* The message: not compressed, its length, then HealthCheckRequest's field 1 (service), when given. */
	i = call->service_len ? 2 + call->service_len + (call->service_len > 127) : 0;
	o = frame_head(o, 5 + i, DATA, END_STREAM, 1);
	*o++ = 0;
	*o++ = 0;
	*o++ = 0;
	*o++ = 0;
	*o++ = (unsigned char)i;
	if (i) {
		/* The length as a protobuf varint: one byte, or two up to GRPC_SERVICE_MAX. */
		*o++ = 0x0a;
		*o++ = (unsigned char)(call->service_len | (call->service_len > 127 ? 128 : 0));
		if (call->service_len > 127)
			*o++ = 1;
		memcpy(o, call->service, call->service_len);
		o += call->service_len;
	}
	return (size_t)(o - out);
}

void grpc_start(struct grpc *g)
{
	g->http_status = g->grpc_status = g->serving = -1;
	g->code = 0;
	g->what = NULL;
	g->text_len = g->reply_len = g->in_len = g->block_len = g->msg_len = 0;
	g->started = g->in_block = g->block_ends = false;
	hpack_start(&g->hpack, HPACK_TABLE_MAX);
}

static bool varint(const unsigned char *p, size_t n, size_t *i, uint64_t *v)
{
	unsigned shift;

	*v = 0;
	for (shift = 0; shift < 64 && *i < n; shift += 7) {
		*v |= (uint64_t)(p[*i] & 127) << shift;
		if (!(p[(*i)++] & 128))
			return true;
	}
	return false;
}

int grpc_serving_parse(const unsigned char *p, size_t n)
{
	size_t i = 0;
	int status = 0;

	while (i < n) {
		uint64_t key, v = 0;

		if (!varint(p, n, &i, &key))
			return -1;
		switch (key & 7) {
		case 0:
			if (!varint(p, n, &i, &v))
				return -1;
			if (key >> 3 == 1)
				status = v > 255 ? 255 : (int)v;
			break;
		case 1:
		case 5:
			v = (key & 7) == 1 ? 8 : 4;
			/* fall through */
		case 2:
			if (!v && !varint(p, n, &i, &v))
				return -1;
			if (v > n - i)
				return -1;
			i += (size_t)v;
			break;
		default:
			return -1;
		}
	}
	return status;
}

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static void text_set(struct grpc *g, const char *s, size_t n, bool percent)
{
	size_t i;

	g->text_len = 0;
	for (i = 0; i < n && g->text_len < GRPC_TEXT_MAX; i++) {
		char ch = s[i];

		/* grpc-message is percent-encoded (gRPC over HTTP/2, "Responses"). */
		if (percent && ch == '%' && n - i > 2 && scan_hex(s[i + 1]) >= 0 && scan_hex(s[i + 2]) >= 0) {
			ch = (char)(scan_hex(s[i + 1]) << 4 | scan_hex(s[i + 2]));
			i += 2;
		}
		g->text[g->text_len++] = ch;
	}
}

static void header_field(void *ctx, const char *name, size_t nl, const char *value, size_t vl)
{
	struct grpc *g = ctx;
	int *slot = NULL, v = 0;
	size_t i;

	if (nl == 7 && !memcmp(name, ":status", 7))
		slot = &g->http_status;
	else if (nl == 11 && !memcmp(name, "grpc-status", 11))
		slot = &g->grpc_status;
	else if (nl == 12 && !memcmp(name, "grpc-message", 12))
		text_set(g, value, vl, true);
	if (!slot)
		return;
	/* A number, or 999: not one. */
	for (i = 0; i < vl && i < 4 && value[i] >= '0' && value[i] <= '9'; i++)
		v = v * 10 + value[i] - '0';
	*slot = vl && i == vl ? v : 999;
}

static enum grpc_result broken(struct grpc *g, const char *what)
{
	g->what = what;
	return GRPC_BROKEN;
}

/* The stream is over: what its one message says. */
static enum grpc_result end(struct grpc *g)
{
	if (g->msg_len) {
		if (g->msg_len < 5 || be32(g->msg + 1) != g->msg_len - 5)
			return broken(g, "a message cut short, or more than one");
		if (g->msg[0])
			return broken(g, "a compressed message, which healthy did not ask for");
		g->serving = grpc_serving_parse(g->msg + 5, g->msg_len - 5);
		if (g->serving < 0)
			return broken(g, "a message that is no HealthCheckResponse");
	}
	return GRPC_END;
}

/* One whole frame: its payload p[0..n). */
static enum grpc_result frame(struct grpc *g, unsigned type, unsigned flags, unsigned stream, const unsigned char *p,
			      size_t n)
{
	if (g->in_block && (type != CONTINUATION || stream != 1))
		return broken(g, "a frame between HEADERS and its CONTINUATION");
	if (!stream && (type == DATA || type == HEADERS || type == CONTINUATION))
		return broken(g, "DATA or HEADERS on stream 0");
	if (stream > 1)
		return type == PUSH_PROMISE ? broken(g, "a PUSH_PROMISE, which healthy's SETTINGS refused") : GRPC_MORE;
	if ((type == DATA || type == HEADERS) && flags & PADDED) {
		if (!n || p[0] >= n)
			return broken(g, "padding longer than its frame");
		n -= 1u + p[0];
		p++;
	}
	switch (type) {
	case DATA:
		if (n > GRPC_MSG_MAX - g->msg_len)
			return broken(g, "a message longer than 1 KiB");
		memcpy(g->msg + g->msg_len, p, n);
		g->msg_len += n;
		return flags & END_STREAM ? end(g) : GRPC_MORE;
	case HEADERS:
		if (flags & PRIORITY_FLAG) {
			if (n < 5)
				return broken(g, "a HEADERS frame too short for its priority");
			p += 5;
			n -= 5;
		}
		g->block_len = 0;
		g->block_ends = flags & END_STREAM;
		g->in_block = true;
		/* fall through */
	case CONTINUATION:
		if (!g->in_block)
			return broken(g, "a CONTINUATION without HEADERS");
		if (n > GRPC_BLOCK_MAX - g->block_len)
			return broken(g, "a header block longer than 8 KiB");
		memcpy(g->block + g->block_len, p, n);
		g->block_len += n;
		if (!(flags & END_HEADERS))
			return GRPC_MORE;
		g->in_block = false;
		switch (hpack_decode(&g->hpack, g->block, g->block_len, header_field, g)) {
		case HPACK_OK:
			return g->block_ends ? end(g) : GRPC_MORE;
		case HPACK_LONG:
			return broken(g, "a header longer than 4 KiB");
		default:
			return broken(g, "a header block that is no HPACK");
		}
	case RST_STREAM:
		if (n != 4 || !stream)
			return broken(g, "a malformed RST_STREAM");
		g->code = be32(p);
		return GRPC_RESET;
	case SETTINGS:
	case PING:
		if (stream || (type == PING ? n != 8 : n % 6))
			return broken(g, type == PING ? "a malformed PING" : "a malformed SETTINGS");
		/* Each owed an ACK; a PING's carries its 8 bytes back. */
		if (!(flags & ACK) && GRPC_REPLY_MAX - g->reply_len >= 17) {
			n = type == PING ? 8 : 0;
			memcpy(frame_head(g->reply + g->reply_len, n, type, ACK, 0), p, n);
			g->reply_len += 9 + n;
		}
		return GRPC_MORE;
	case GOAWAY:
		if (n < 8 || stream)
			return broken(g, "a malformed GOAWAY");
		g->code = be32(p + 4);
		/* A graceful one that still answers the call (its last stream is 1 or later) is no failure. */
		if (!g->code && be32(p) & 0x7fffffff)
			return GRPC_MORE;
		text_set(g, (const char *)p + 8, n - 8, false);
		return GRPC_GOAWAY;
	case PUSH_PROMISE:
		return broken(g, "a PUSH_PROMISE, which healthy's SETTINGS refused");
	default:
		/* PRIORITY, WINDOW_UPDATE (the request went whole), and types this client does not know (RFC 9113 4.1). */
		return GRPC_MORE;
	}
}

enum grpc_result grpc_feed(struct grpc *g, const unsigned char *p, size_t n)
{
	while (n) {
		size_t take = sizeof(g->in) - g->in_len, off = 0;

		take = take < n ? take : n;
		memcpy(g->in + g->in_len, p, take);
		g->in_len += take;
		p += take;
		n -= take;
		while (g->in_len - off >= 9) {
			const unsigned char *h = g->in + off;
			size_t len = (size_t)h[0] << 16 | (size_t)h[1] << 8 | h[2];
			enum grpc_result r;

			/* RFC 9113 3.4: the server's preface is a SETTINGS frame, first. */
			if (!g->started && (h[3] != SETTINGS || h[4] & ACK || be32(h + 5)))
				return GRPC_NOT_H2;
			g->started = true;
			if (len > GRPC_FRAME_MAX)
				return broken(g, "a frame longer than 16 KiB");
			if (g->in_len - off - 9 < len)
				break;
			r = frame(g, h[3], h[4], be32(h + 5) & 0x7fffffff, h + 9, len);
			if (r != GRPC_MORE)
				return r;
			off += 9 + len;
		}
		memmove(g->in, g->in + off, g->in_len - off);
		g->in_len -= off;
	}
	return GRPC_MORE;
}
