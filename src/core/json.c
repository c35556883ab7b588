/*
 * json.c - a streaming JSON writer into a struct vg_buf.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"

void
vg_json_init(struct vg_json *j, struct vg_buf *out, unsigned flags)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->flags = flags;
}

static void
put(struct vg_json *j, const char *s, size_t n)
{
	if (j->rc == 0)
		j->rc = vg_buf_add(j->out, s, n);
}

static void
putc_(struct vg_json *j, char c)
{
	put(j, &c, 1);
}

static void
newline(struct vg_json *j)
{
	if (!(j->flags & VG_JSON_PRETTY))
		return;
	putc_(j, '\n');
	for (int i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Separator and indentation before a value or a key. */
static void
before_item(struct vg_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->nonempty[j->depth - 1])
			putc_(j, ',');
		j->nonempty[j->depth - 1] = true;
		newline(j);
	}
}

static void
open_container(struct vg_json *j, char c)
{
	before_item(j);
	if (j->depth == VG_JSON_MAX_DEPTH) {
		if (j->rc == 0)
			j->rc = VG_EINVAL;
		return;
	}
	putc_(j, c);
	j->nonempty[j->depth++] = false;
}

static void
close_container(struct vg_json *j, char c)
{
	bool had_items;

	if (j->depth == 0 || j->after_key) {
		if (j->rc == 0)
			j->rc = VG_EINVAL;
		return;
	}
	had_items = j->nonempty[--j->depth];
	if (had_items)
		newline(j);
	putc_(j, c);
}

void
vg_json_begin_object(struct vg_json *j)
{
	open_container(j, '{');
}

void
vg_json_end_object(struct vg_json *j)
{
	close_container(j, '}');
}

void
vg_json_begin_array(struct vg_json *j)
{
	open_container(j, '[');
}

void
vg_json_end_array(struct vg_json *j)
{
	close_container(j, ']');
}

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void
put_escaped(struct vg_json *j, const unsigned char *s, size_t n)
{
	size_t i = 0;

	putc_(j, '"');
	while (i < n && j->rc == 0) {
		unsigned char c = s[i];
		size_t run = i, len;
		char esc[8];

		/* Copy the longest run of bytes that need no escaping in one go. */
		while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' &&
		       s[run] != '\\')
			run++;
		if (run > i) {
			put(j, (const char *)s + i, run - i);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(j, esc, 2);
			i++;
		} else if (c < 0x20) {
			static const char short_esc[] = {['\b'] = 'b',
							 ['\t'] = 't',
							 ['\n'] = 'n',
							 ['\f'] = 'f',
							 ['\r'] = 'r'};

			if (c < sizeof(short_esc) && short_esc[c]) {
				esc[0] = '\\';
				esc[1] = short_esc[c];
				put(j, esc, 2);
			} else {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				put(j, esc, 6);
			}
			i++;
		} else if ((len = utf8_len(s + i, n - i)) != 0) {
			put(j, (const char *)s + i, len);
			i += len;
		} else {
			put(j, "\xef\xbf\xbd", 3); /* U+FFFD for each invalid byte */
			i++;
		}
	}
	putc_(j, '"');
}

void
vg_json_key(struct vg_json *j, const char *key)
{
	before_item(j);
	put_escaped(j, (const unsigned char *)key, strlen(key));
	put(j, (j->flags & VG_JSON_PRETTY) ? ": " : ":", (j->flags & VG_JSON_PRETTY) ? 2 : 1);
	j->after_key = true;
}

void
vg_json_string_n(struct vg_json *j, const char *s, size_t len)
{
	before_item(j);
	put_escaped(j, (const unsigned char *)s, len);
}

void
vg_json_string(struct vg_json *j, const char *s)
{
	if (!s) {
		vg_json_null(j);
		return;
	}
	vg_json_string_n(j, s, strlen(s));
}

void
vg_json_int(struct vg_json *j, int64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRId64, v);

	before_item(j);
	put(j, num, (size_t)n);
}

void
vg_json_double(struct vg_json *j, double v, int decimals)
{
	char num[64];
	int n;

	if (!isfinite(v)) {
		vg_json_null(j);
		return;
	}
	n = snprintf(num, sizeof(num), "%.*f", decimals, v);
	before_item(j);
	put(j, num, (size_t)n);
}

void
vg_json_bool(struct vg_json *j, bool v)
{
	before_item(j);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void
vg_json_null(struct vg_json *j)
{
	before_item(j);
	put(j, "null", 4);
}

void
vg_json_raw(struct vg_json *j, const char *json, size_t len)
{
	before_item(j);
	put(j, json, len);
}

void
vg_json_kv_str(struct vg_json *j, const char *key, const char *v)
{
	vg_json_key(j, key);
	vg_json_string(j, v);
}

void
vg_json_kv_str_opt(struct vg_json *j, const char *key, const char *v)
{
	if (v)
		vg_json_kv_str(j, key, v);
}

void
vg_json_kv_int(struct vg_json *j, const char *key, int64_t v)
{
	vg_json_key(j, key);
	vg_json_int(j, v);
}

void
vg_json_kv_bool(struct vg_json *j, const char *key, bool v)
{
	vg_json_key(j, key);
	vg_json_bool(j, v);
}

int
vg_json_finish(struct vg_json *j)
{
	if (j->rc == 0 && (j->depth != 0 || j->after_key))
		j->rc = VG_EINVAL;
	return j->rc;
}
