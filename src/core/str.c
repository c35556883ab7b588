/*
 * str.c - string slices for parsing.
 */
#include "core/str.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

struct vg_str
vg_str_trim(struct vg_str s)
{
	while (s.len && is_space(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

struct vg_str
vg_str_next_word(struct vg_str *rest)
{
	struct vg_str s = *rest;
	size_t i = 0, j;

	while (i < s.len && is_blank(s.p[i]))
		i++;
	j = i;
	while (j < s.len && !is_blank(s.p[j]))
		j++;
	*rest = vg_str_trim(vg_str_sub(s, j, s.len - j));
	return vg_str_sub(s, i, j - i);
}

ptrdiff_t
vg_str_chr(struct vg_str s, char c)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == c)
			return (ptrdiff_t)i;
	return -1;
}

ptrdiff_t
vg_str_rchr(struct vg_str s, char c)
{
	for (size_t i = s.len; i-- > 0;)
		if (s.p[i] == c)
			return (ptrdiff_t)i;
	return -1;
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool
vg_str_eq_nocase(struct vg_str a, struct vg_str b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (lower(a.p[i]) != lower(b.p[i]))
			return false;
	return true;
}

bool
vg_str_next_line(struct vg_str data, size_t *pos, struct vg_str *line)
{
	const char *p, *nl;
	size_t len;

	if (*pos >= data.len)
		return false;
	p = data.p + *pos;
	nl = memchr(p, '\n', data.len - *pos);
	len = nl ? (size_t)(nl - p) : data.len - *pos;
	*pos += len + (nl != NULL);
	if (len && p[len - 1] == '\r')
		len--;
	*line = vg_str_n(p, len);
	return true;
}
