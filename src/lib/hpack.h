/*
 * hpack: HTTP/2 header blocks decoded (RFC 7541), as a client that reads a
 * few headers of one answer needs them: the static table, the dynamic
 * table (up to HPACK_TABLE_MAX bytes, the size SETTINGS announce), and
 * Huffman-coded strings. Bytes in, one call per header field out; pure.
 *
 * Of the static table's names only those healthy reads are kept (":status",
 * "content-type"); every other one is given as as many NUL bytes as it is
 * long, which no header's name may hold (RFC 9113 8.2.1), so that the
 * dynamic table is sized exactly as the server's.
 */
#ifndef HEALTHY_HPACK_H
#define HEALTHY_HPACK_H

#include <stddef.h>

/* The dynamic table's size: RFC 9113's default SETTINGS_HEADER_TABLE_SIZE. */
#define HPACK_TABLE_MAX 4096
/* A name or a value longer than this, decoded, is refused: no entry of the table can be longer. */
#define HPACK_STRING_MAX HPACK_TABLE_MAX

enum hpack_result {
	HPACK_OK,
	HPACK_BAD,              /* an index out of the tables, an integer or string past the block's end, bad Huffman */
	HPACK_LONG,             /* a name or value longer than HPACK_STRING_MAX */
};

struct hpack {
	size_t max;             /* the table's size now, at most the limit it started with */
	size_t limit;
	size_t size;            /* RFC 7541 4.1: the entries' names and values, and 32 each */
	size_t used;            /* bytes of buf in use */
	unsigned n;             /* entries, the newest first in buf */
	unsigned char buf[HPACK_TABLE_MAX]; /* each entry: name length and value length (2 bytes each), name, value */
	char name[HPACK_STRING_MAX], value[HPACK_STRING_MAX]; /* the field being decoded */
};

/* An empty table of at most limit bytes (HPACK_TABLE_MAX or less). */
void hpack_start(struct hpack *h, size_t limit);

typedef void (*hpack_field)(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len);

/* Decodes the header block p[0..n), calling field() for each header in order, and updates the table. */
enum hpack_result hpack_decode(struct hpack *h, const unsigned char *p, size_t n, hpack_field field, void *ctx);

/* Decodes n bytes of Huffman code (RFC 7541 5.2) into out. Returns its length, or -1: bad code, or longer than max. */
long hpack_huffman(const unsigned char *p, size_t n, char *out, size_t max);

#endif
