/*
 * lib/hpack.c: header blocks encoded by Debian's python3-hpack (another
 * implementation: tests/fixtures/hpack-pyhpack-*, each block after a
 * two-byte length, and what it holds in the .want file beside it), RFC
 * 7541's own Huffman example, and hostile blocks.
 */
#include "fixture.h"

#include <stdbool.h>
#include <stdlib.h>

#include "lib/hpack.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* The fields of a block as "name: value" lines, a static name healthy does not keep shown as '?'s. */
struct fields {
	char text[8192];
	size_t len;
};

static void add(struct fields *f, const char *s, size_t n, bool name)
{
	size_t i;

	for (i = 0; i < n && f->len < sizeof(f->text) - 4; i++)
		f->text[f->len++] = name && !s[i] ? '?' : s[i];
}

static void field(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len)
{
	struct fields *f = ctx;

	add(f, name, name_len, true);
	add(f, ": ", 2, false);
	add(f, value, value_len, false);
	add(f, "\n", 1, false);
}

/* Decodes each block of a fixture in turn, with one table, each from an exact heap copy. */
static void blocks_want(const char *name)
{
	static unsigned char buf[8192];
	static char want[8192], path[256];
	static struct hpack h;
	static struct fields f;
	size_t n = fixture_load(name, (char *)buf, sizeof(buf)), off = 0, wn;

	snprintf(path, sizeof(path), "%s.want", name);
	wn = fixture_load(path, want, sizeof(want));
	hpack_start(&h, HPACK_TABLE_MAX);
	f.len = 0;
	while (off + 2 <= n) {
		size_t len = (size_t)buf[off] << 8 | buf[off + 1];
		unsigned char *copy = malloc(len ? len : 1);

		memcpy(copy, buf + off + 2, len);
		ROW_INT(name, hpack_decode(&h, copy, len, field, &f), HPACK_OK);
		free(copy);
		add(&f, "--\n", 3, false);
		off += 2 + len;
	}
	ROW_MEM(name, f.text, f.len, want, wn);
}

static void hpack_decode_blocks_of_another_encoder(void **state)
{
	(void)state;
	/* RFC 7541 C.4's requests; C.5 and C.6's responses in a 256-byte table (entries evicted), plain and Huffman. */
	blocks_want("hpack-pyhpack-requests");
	blocks_want("hpack-pyhpack-responses-256");
	blocks_want("hpack-pyhpack-responses-256-plain");
	blocks_want("hpack-pyhpack-grpc");
}

static void hpack_huffman_rfc_example_and_padding(void **state)
{
	/* RFC 7541 C.4.1: "www.example.com". */
	static const unsigned char www[] = { 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff };
	/* "0" is 00000: padded with 111 it is 0x07; with 000, "000" would be padding that is not EOS's. */
	static const unsigned char zero_pad_ones[] = { 0x07 }, zero_pad_zeros[] = { 0x00 };
	/* Eight bits of padding are too many; EOS (30 ones) inside a string is an error. */
	static const unsigned char pad8[] = { 0x07, 0xff }, eos[] = { 0xff, 0xff, 0xff, 0xff };
	char out[64];

	(void)state;
	assert_int_equal(hpack_huffman(www, sizeof(www), out, sizeof(out)), 15);
	assert_memory_equal(out, "www.example.com", 15);
	assert_int_equal(hpack_huffman(www, sizeof(www), out, 14), -2);
	assert_int_equal(hpack_huffman(zero_pad_ones, 1, out, sizeof(out)), 1);
	assert_int_equal(out[0], '0');
	/* 0x00 is "0" then "000": three zero bits left, which are no EOS padding. */
	assert_int_equal(hpack_huffman(zero_pad_zeros, 1, out, sizeof(out)), -1);
	assert_int_equal(hpack_huffman(pad8, 2, out, sizeof(out)), -1);
	assert_int_equal(hpack_huffman(eos, 4, out, sizeof(out)), -1);
	assert_int_equal(hpack_huffman(NULL, 0, out, sizeof(out)), 0);
}

static void hpack_decode_hostile_blocks(void **state)
{
	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
		enum hpack_result want;
	} rows[] = {
		{ "index 0", "\x80", 1, HPACK_BAD },
		{ "index 62 with an empty table", "\xbe", 1, HPACK_BAD },
		{ "index 61, the last static one", "\xbd", 1, HPACK_OK },
		{ "a name index past the tables", "\x7f\x00\x01x", 4, HPACK_BAD },
		{ "a size update past the limit", "\x3f\xe2\x1f", 3, HPACK_BAD },
		{ "a size update to the limit", "\x3f\xe1\x1f", 3, HPACK_OK },
		{ "a size update after a field", "\x88\x20", 2, HPACK_BAD },
		{ "an integer cut short", "\xff", 1, HPACK_BAD },
		{ "an integer of too many bytes", "\xff\xff\xff\xff\xff\x01", 6, HPACK_BAD },
		{ "a string past the block's end", "\x40\x05" "ab", 4, HPACK_BAD },
		{ "a value missing", "\x40\x01x", 3, HPACK_BAD },
		{ "a Huffman string with EOS", "\x40\x84\xff\xff\xff\xff\x00", 7, HPACK_BAD },
		{ "a plain string past the limit", "\x40\x7f\xff\x1f", 4, HPACK_BAD },
		{ "an empty name and value, indexed", "\x40\x00\x00\xbe", 4, HPACK_OK },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		static struct hpack h;
		static struct fields f;
		unsigned char *copy = malloc(rows[i].len);

		memcpy(copy, rows[i].bytes, rows[i].len);
		hpack_start(&h, HPACK_TABLE_MAX);
		f.len = 0;
		ROW_INT(rows[i].what, hpack_decode(&h, copy, rows[i].len, field, &f), rows[i].want);
		free(copy);
	}
}

/* A literal, indexed, named "x", with a plain value of len bytes of 'v': 6 bytes of head, then the value. */
static size_t long_literal(unsigned char *b, size_t len)
{
	b[0] = 0x40;
	b[1] = 0x01;
	b[2] = 'x';
	b[3] = 0x7f;                    /* 127, then the rest in two 7-bit groups */
	b[4] = (unsigned char)(0x80 | ((len - 127) & 0x7f));
	b[5] = (unsigned char)((len - 127) >> 7);
	memset(b + 6, 'v', len);
	return 6 + len;
}

/* A value over 4096 bytes is refused; an entry larger than the table empties it and is not added (RFC 7541 4.4). */
static void hpack_decode_long_strings_and_a_full_table(void **state)
{
	static unsigned char block[5000];
	static struct hpack h;
	static struct fields f;
	size_t n;

	(void)state;
	hpack_start(&h, HPACK_TABLE_MAX);
	n = long_literal(block, 4097);
	assert_int_equal(hpack_decode(&h, block, n, field, &f), HPACK_LONG);
	/* One small entry, then one of 1 + 4040 + 32 bytes: the old one (34) goes to make room. */
	hpack_start(&h, HPACK_TABLE_MAX);
	assert_int_equal(hpack_decode(&h, (const unsigned char *)"\x40\x01y\x01z", 5, field, &f), HPACK_OK);
	assert_int_equal(h.n, 1);
	n = long_literal(block, 4040);
	assert_int_equal(hpack_decode(&h, block, n, field, &f), HPACK_OK);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.size, 1 + 4040 + 32);
	/* 4096 bytes of value: a string that fits, an entry that does not: the table is emptied. */
	n = long_literal(block, 4096);
	assert_int_equal(hpack_decode(&h, block, n, field, &f), HPACK_OK);
	assert_int_equal(h.n, 0);
	assert_int_equal(h.size, 0);
	/* A table of 64 bytes: 1 + 40 + 32 = 73 empties it too. */
	hpack_start(&h, 64);
	assert_int_equal(hpack_decode(&h, (const unsigned char *)"\x40\x01y\x01z", 5, field, &f), HPACK_OK);
	assert_int_equal(h.n, 1);
	memcpy(block, "\x40\x01x\x28", 4);
	memset(block + 4, 'v', 40);
	assert_int_equal(hpack_decode(&h, block, 44, field, &f), HPACK_OK);
	assert_int_equal(h.n, 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(hpack_decode_blocks_of_another_encoder),
		cmocka_unit_test(hpack_huffman_rfc_example_and_padding),
		cmocka_unit_test(hpack_decode_hostile_blocks),
		cmocka_unit_test(hpack_decode_long_strings_and_a_full_table),
	};

	return cmocka_run_group_tests_name("hpack", tests, NULL, NULL);
}
