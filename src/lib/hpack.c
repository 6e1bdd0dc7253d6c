#include "hpack.h"

#include <stdbool.h>
#include <string.h>

/*
 * RFC 7541's Huffman code is canonical: a code is its symbol's rank in the
 * order of code length, then value. So the symbols in that order and how
 * many codes each length has (5 to 30 bits; EOS, the last, is left out)
 * are the whole table, taken from RFC 7541 Appendix B.
 */
static const unsigned char huff_count[31] = {
	[5] = 10, 26, 32, 6, 0, 5, 3, 2, 6, 2, 3, 0, 0, 0, 3, 8, 13, 26, 29, 12, 4, 15, 19, 29, 0, 4,
};
static const unsigned char huff_sym[256] = {
	48, 49, 50, 97, 99, 101, 105, 111, 115, 116, 32, 37, 45, 46, 47, 51,
	52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109,
	110, 112, 114, 117, 58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
	77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118,
	119, 120, 121, 122, 38, 42, 44, 59, 88, 90, 33, 34, 40, 41, 63, 39,
	43, 124, 35, 62, 0, 36, 64, 91, 93, 126, 94, 125, 60, 96, 123, 92,
	195, 208, 128, 130, 131, 162, 184, 194, 224, 226, 153, 161, 167, 172, 176, 177,
	179, 209, 216, 217, 227, 229, 230, 129, 132, 133, 134, 136, 146, 154, 156, 160,
	163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232,
	233, 1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157,
	158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239, 9, 142,
	144, 145, 148, 159, 171, 206, 215, 225, 236, 237, 199, 207, 234, 235, 192, 193,
	200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255, 203, 204, 211,
	212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254,
	2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20,
	21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249, 10, 13, 22,};

/* RFC 7541 Appendix A: how long each static name is; only those healthy reads are spelt out. */
static const unsigned char static_len[61] = {
	10, 7, 7, 5, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 14, 15, 15, 13, 6, 27, 3, 5, 13, 13, 19, 16, 16, 14, 16, 13, 12,
	6, 4, 4, 6, 7, 4, 4, 8, 17, 13, 8, 19, 13, 4, 8, 12, 18, 19, 5, 7, 7, 11, 6, 10, 25, 17, 10, 4, 3, 16,
};
/* Entries 2 to 16's values, one after another (each "\0" a literal of its own: "\0200" would be octal). */
static const char static_values[] = "GET\0" "POST\0" "/\0" "/index.html\0" "http\0" "https\0" "200\0" "204\0" "206\0"
				    "304\0" "400\0" "404\0" "500\0" "\0" "gzip, deflate";

long hpack_huffman(const unsigned char *p, size_t n, char *out, size_t max)
{
	unsigned code = 0, first = 0, index = 0, len = 0;
	size_t i, k = 0;

	for (i = 0; i < n * 8; i++) {
		unsigned count;

		code = code << 1 | (p[i >> 3] >> (7 - (i & 7)) & 1);
		count = huff_count[++len];
		if (code - first < count) {
			/* The code is complete (every 30-bit string starts with a code): len never passes 30. */
			if (index + code - first >= 256)
				return -1;      /* EOS inside a string */
			if (k == max)
				return -2;
			out[k++] = (char)huff_sym[index + code - first];
			code = first = index = len = 0;
			continue;
		}
		index += count;
		first = (first + count) << 1;
	}
	/* The padding: fewer than 8 bits, all ones (EOS's first bits). */
	return len < 8 && code == (1u << len) - 1 ? (long)k : -1;
}

/* RFC 7541 5.1: an integer with a prefix of bits bits at p[*i]; false past n, or past 2^28. */
static bool integer(const unsigned char *p, size_t n, size_t *i, unsigned bits, size_t *v)
{
	unsigned mask = (1u << bits) - 1, shift = 0;
	unsigned char b;

	if (*i >= n)
		return false;
	*v = p[(*i)++] & mask;
	if (*v < mask)
		return true;
	do {
		if (*i >= n || shift > 21)
			return false;
		b = p[(*i)++];
		*v += (size_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return true;
}

/* A string literal at p[*i], plain or Huffman-coded, into out. */
static enum hpack_result string(const unsigned char *p, size_t n, size_t *i, char *out, size_t *len)
{
	bool huff = *i < n && p[*i] & 0x80;
	size_t l;
	long k;

	if (!integer(p, n, i, 7, &l) || l > n - *i)
		return HPACK_BAD;
	if (huff) {
		k = hpack_huffman(p + *i, l, out, HPACK_STRING_MAX);
		if (k < 0)
			return k == -2 ? HPACK_LONG : HPACK_BAD;
		*len = (size_t)k;
	} else {
		if (l > HPACK_STRING_MAX)
			return HPACK_LONG;
		memcpy(out, p + *i, l);
		*len = l;
	}
	*i += l;
	return HPACK_OK;
}

static size_t u16(const unsigned char *e)
{
	return (size_t)e[0] << 8 | e[1];
}

/* The dynamic table's entry k, 0 the newest. */
static const unsigned char *entry(const struct hpack *h, unsigned k)
{
	const unsigned char *e = h->buf;

	while (k--)
		e += 4 + u16(e) + u16(e + 2);
	return e;
}

/* RFC 7541 4.4: the oldest entries go until room more bytes fit. */
static void evict(struct hpack *h, size_t room)
{
	while (h->n && h->size + room > h->max) {
		const unsigned char *e = entry(h, h->n - 1);

		h->size -= u16(e) + u16(e + 2) + 32;
		h->used -= u16(e) + u16(e + 2) + 4;
		h->n--;
	}
}

/* A new entry, the newest; name and value lie outside the table. One larger than the table empties it. */
static void insert(struct hpack *h, const char *name, size_t nl, const char *value, size_t vl)
{
	unsigned char *e = h->buf;

	evict(h, nl + vl + 32);
	if (nl + vl + 32 > h->max)
		return;
	memmove(e + 4 + nl + vl, e, h->used);
	e[0] = (unsigned char)(nl >> 8);
	e[1] = (unsigned char)nl;
	e[2] = (unsigned char)(vl >> 8);
	e[3] = (unsigned char)vl;
	memcpy(e + 4, name, nl);
	memcpy(e + 4 + nl, value, vl);
	h->used += 4 + nl + vl;
	h->size += nl + vl + 32;
	h->n++;
}

/* Entry idx of the static and dynamic tables into name (and value, when not NULL). */
static enum hpack_result lookup(const struct hpack *h, size_t idx, char *name, size_t *nl, char *value, size_t *vl)
{
	const char *v = "";
	size_t k;

	if (!idx || idx > 61 + h->n)
		return HPACK_BAD;
	if (idx > 61) {
		const unsigned char *e = entry(h, (unsigned)(idx - 62));

		*nl = u16(e);
		memcpy(name, e + 4, *nl);
		if (value) {
			*vl = u16(e + 2);
			memcpy(value, e + 4 + *nl, *vl);
		}
		return HPACK_OK;
	}
	*nl = static_len[idx - 1];
	memset(name, 0, *nl);
	if (idx >= 8 && idx <= 14)
		memcpy(name, ":status", 7);
	else if (idx == 31)
		memcpy(name, "content-type", 12);
	if (!value)
		return HPACK_OK;
	for (k = 2, v = static_values; idx >= 2 && idx <= 16 && k < idx; k++)
		v += strlen(v) + 1;
	*vl = idx >= 2 && idx <= 16 ? strlen(v) : 0;
	memcpy(value, v, *vl);
	return HPACK_OK;
}

void hpack_start(struct hpack *h, size_t limit)
{
	h->max = h->limit = limit;
	h->size = h->used = 0;
	h->n = 0;
}

enum hpack_result hpack_decode(struct hpack *h, const unsigned char *p, size_t n, hpack_field field, void *ctx)
{
	char *name = h->name, *value = h->value;
	enum hpack_result r;
	bool fields = false;
	size_t i = 0, idx, nl, vl;

	while (i < n) {
		unsigned char b = p[i];

		/* 001xxxxx: a new table size, at most the limit, and only before the block's first field (RFC 7541 4.2). */
		if ((b & 0xe0) == 0x20) {
			if (fields || !integer(p, n, &i, 5, &idx) || idx > h->limit)
				return HPACK_BAD;
			h->max = idx;
			evict(h, 0);
			continue;
		}
		fields = true;
		/* 1xxxxxxx indexed; 01xxxxxx literal, indexed from now on; 0000xxxx and 0001xxxx literal, not indexed. */
		if (!integer(p, n, &i, b & 0x80 ? 7 : b & 0x40 ? 6 : 4, &idx))
			return HPACK_BAD;
		if (b & 0x80) {
			r = lookup(h, idx, name, &nl, value, &vl);
		} else {
			r = idx ? lookup(h, idx, name, &nl, NULL, NULL) : string(p, n, &i, name, &nl);
			if (r == HPACK_OK)
				r = string(p, n, &i, value, &vl);
			if (r == HPACK_OK && b & 0x40)
				insert(h, name, nl, value, vl);
		}
		if (r != HPACK_OK)
			return r;
		field(ctx, name, nl, value, vl);
	}
	return HPACK_OK;
}
