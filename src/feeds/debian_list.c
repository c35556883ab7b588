/*
 * debian_list.c - the Debian security tracker's text lists: data/DSA/list
 * and data/DLA/list (one importer, source "debian-dsa" or "debian-dla" by
 * content) and data/CVE/list (source "debian-cve"); plus the helpers of
 * debian.h that the JSON importers share.
 *
 * The lists are records of a header line and indented annotation lines:
 *
 *     [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *             {CVE-2023-1393}
 *             [bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *
 *     CVE-2021-36367 (PuTTY through 0.75 proceeds with establishing ...)
 *             - putty 0.75-3 (low; bug #990901)
 *             [bullseye] - putty <no-dsa> (Minor issue)
 *
 * The grammar is the tracker's own (lib/python/bugs.py and
 * sectracker/parsers.py in the security-tracker repository): what it
 * rejects as a syntax error is VG_EINVAL here; what it accepts but Vigil
 * cannot place (an unknown release, a version dpkg rejects) is a warning
 * and the line is skipped.  One record is held in memory at a time.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/version/version.h"
#include "feeds/debian.h"
#include "feeds/ids.h"
#include "feeds/importers.h"

/* ---- releases ------------------------------------------------------------- */

static const struct {
	const char *codename;
	const char *version;
	const char *ns;
} releases[] = {
	{"buzz", "1.1", "debian:1.1"},   {"rex", "1.2", "debian:1.2"},
	{"bo", "1.3", "debian:1.3"},     {"hamm", "2.0", "debian:2.0"},
	{"slink", "2.1", "debian:2.1"},  {"potato", "2.2", "debian:2.2"},
	{"woody", "3.0", "debian:3.0"},  {"sarge", "3.1", "debian:3.1"},
	{"etch", "4", "debian:4"},       {"lenny", "5", "debian:5"},
	{"squeeze", "6", "debian:6"},    {"wheezy", "7", "debian:7"},
	{"jessie", "8", "debian:8"},     {"stretch", "9", "debian:9"},
	{"buster", "10", "debian:10"},   {"bullseye", "11", "debian:11"},
	{"bookworm", "12", "debian:12"}, {"trixie", "13", "debian:13"},
	{"forky", "14", "debian:14"},    {"duke", "15", "debian:15"},
	{"sid", "", "debian:unstable"},
};

int
vg_debian_release_ns(const char *codename, const char **ns)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(releases); i++) {
		if (strcmp(codename, releases[i].codename) == 0) {
			*ns = releases[i].ns;
			return VG_OK;
		}
	}
	return strcmp(codename, "experimental") == 0 ? VG_EUNSUPPORTED : VG_ENOTFOUND;
}

const char *
vg_debian_release_version(const char *codename)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(releases); i++)
		if (strcmp(codename, releases[i].codename) == 0)
			return releases[i].version;
	return NULL;
}

/* ---- words ---------------------------------------------------------------- */

static const struct {
	const char *word;
	enum vg_debian_kind kind;
} kinds[] = {
	{"unfixed", VG_DEBIAN_UNFIXED},
	{"not-affected", VG_DEBIAN_NOT_AFFECTED},
	{"no-dsa", VG_DEBIAN_NO_DSA},
	{"postponed", VG_DEBIAN_POSTPONED},
	{"ignored", VG_DEBIAN_IGNORED},
	{"end-of-life", VG_DEBIAN_END_OF_LIFE},
	{"removed", VG_DEBIAN_REMOVED},
	{"itp", VG_DEBIAN_ITP},
	{"undetermined", VG_DEBIAN_UNDETERMINED},
};

int
vg_debian_kind_parse(struct vg_str word, enum vg_debian_kind *kind)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(kinds); i++) {
		if (vg_str_eqc(word, kinds[i].word)) {
			*kind = kinds[i].kind;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

bool
vg_debian_kind_has_reason(enum vg_debian_kind kind)
{
	/* The tracker's "pseudo_freetext" kinds; the others take (bug #N; urgency). */
	return kind == VG_DEBIAN_NOT_AFFECTED || kind == VG_DEBIAN_NO_DSA ||
	       kind == VG_DEBIAN_POSTPONED || kind == VG_DEBIAN_IGNORED ||
	       kind == VG_DEBIAN_END_OF_LIFE;
}

const char *
vg_debian_urgency(struct vg_str word, bool *known)
{
	static const char *const words[] = {"unimportant", "low", "medium", "high"};

	*known = true;
	/* "high**": the urgency was derived from NVD's severity, not set by a person. */
	if (word.len >= 2 && word.p[word.len - 1] == '*' && word.p[word.len - 2] == '*')
		word.len -= 2;
	for (size_t i = 0; i < VG_ARRAY_LEN(words); i++)
		if (vg_str_eqc(word, words[i]))
			return words[i];
	if (word.len == 0 || vg_str_eqc(word, "not yet assigned") ||
	    vg_str_eqc(word, "end-of-life"))
		return NULL;
	*known = false;
	return NULL;
}

static struct vg_str
skip_ws(struct vg_str s)
{
	while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	return s;
}

/* The leading run of non-blank bytes of @s; @rest gets what follows it. */
static struct vg_str
token(struct vg_str s, struct vg_str *rest)
{
	size_t i = 0;

	while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t')
		i++;
	*rest = vg_str_sub(s, i, s.len);
	return vg_str_n(s.p, i);
}

static bool
has_prefix(struct vg_str s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

void
vg_debian_parse_flags(struct vg_debian_imp *imp, struct vg_str inner, const char **urgency,
		      long *bug)
{
	size_t pos = 0;

	*urgency = NULL;
	*bug = 0;
	while (pos <= inner.len) {
		struct vg_str rest = vg_str_sub(inner, pos, inner.len);
		ptrdiff_t semi = vg_str_chr(rest, ';');
		struct vg_str item = vg_str_trim(semi < 0 ? rest : vg_str_n(rest.p, (size_t)semi));
		bool known;

		pos += semi < 0 ? rest.len + 1 : (size_t)semi + 1;
		if (item.len == 0 || vg_str_eqc(item, "bug filed"))
			continue;
		if (has_prefix(item, "bug #") && vg_id_digits(vg_str_sub(item, 5, item.len))) {
			long n = 0;
			for (size_t i = 5; i < item.len && n < 1000000000L; i++)
				n = n * 10 + (item.p[i] - '0');
			if (*bug == 0)
				*bug = n;
			continue;
		}
		const char *u = vg_debian_urgency(item, &known);
		if (known && u != NULL) {
			*urgency = u;
			continue;
		}
		vg_debian_warn(imp, "unknown flag '%.*s' in '(%.*s)' ignored", (int)item.len,
			       item.p, (int)inner.len, inner.p);
	}
}

/* ---- import context ------------------------------------------------------- */

void
vg_debian_imp_init(struct vg_debian_imp *imp, const struct vg_feed_sink *sink, const char *path)
{
	memset(imp, 0, sizeof(*imp));
	imp->sink = sink;
	imp->path = path ? path : "(input)";
}

void
vg_debian_warn(struct vg_debian_imp *imp, const char *fmt, ...)
{
	char msg[768];
	int n;
	va_list ap;

	imp->warnings++;
	if (imp->sink->warn == NULL || imp->warnings > VG_DEBIAN_MAX_WARN)
		return;
	if (imp->line > 0)
		n = snprintf(msg, sizeof(msg), "%s:%ld: ", imp->path, imp->line);
	else
		n = snprintf(msg, sizeof(msg), "%s: ", imp->path);
	if (n >= 0 && (size_t)n < sizeof(msg) && imp->record != NULL)
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, "record %s: ", imp->record);
	if (n >= 0 && (size_t)n < sizeof(msg)) {
		va_start(ap, fmt);
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	imp->sink->warn(imp->sink->ctx, msg);
}

void
vg_debian_skip(struct vg_debian_imp *imp, enum vg_debian_skip why)
{
	if ((unsigned)why < VG_DEBIAN_NSKIP)
		imp->skipped[why]++;
}

void
vg_debian_summary(struct vg_debian_imp *imp)
{
	static const char *const what[VG_DEBIAN_NSKIP] = {
		[VG_DEBIAN_SKIP_RELEASE] = "unknown release",
		[VG_DEBIAN_SKIP_EXPERIMENTAL] = "experimental",
		[VG_DEBIAN_SKIP_VERSION] = "invalid version",
		[VG_DEBIAN_SKIP_KIND] = "unknown status",
		[VG_DEBIAN_SKIP_ITP] = "itp",
		[VG_DEBIAN_SKIP_OTHER] = "other",
	};
	char msg[512];
	size_t n;
	const char *sep = ": ";
	unsigned long total = 0;
	unsigned long hidden =
		imp->warnings > VG_DEBIAN_MAX_WARN ? imp->warnings - VG_DEBIAN_MAX_WARN : 0;

	for (int i = 0; i < VG_DEBIAN_NSKIP; i++)
		total += imp->skipped[i];
	if ((total == 0 && hidden == 0) || imp->sink->warn == NULL)
		return;
	n = (size_t)snprintf(msg, sizeof(msg), "%s: skipped %lu annotation(s)", imp->path, total);
	for (int i = 0; i < VG_DEBIAN_NSKIP && n < sizeof(msg); i++) {
		if (imp->skipped[i] == 0)
			continue;
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%lu %s", sep, imp->skipped[i],
				      what[i]);
		sep = ", ";
	}
	if (hidden > 0 && n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, "; %lu more warning(s) not shown", hidden);
	imp->sink->warn(imp->sink->ctx, msg);
}

void
vg_debian_vuln_init(struct vg_vuln *v)
{
	memset(v, 0, sizeof(*v));
	v->cvss_v2_score = NAN;
	v->cvss_v3_score = NAN;
	v->cvss_v4_score = NAN;
}

int
vg_debian_vuln(struct vg_debian_imp *imp, const struct vg_vuln *v, struct vg_err *err)
{
	if (imp->sink->vuln == NULL)
		return VG_OK;
	int rc = imp->sink->vuln(imp->sink->ctx, v, err);
	if (rc == VG_OK)
		imp->nrecords++;
	return rc;
}

/* Debian source package names as the tracker writes them ([A-Za-z0-9:.+-]+). */
static bool
package_ok(struct vg_str s)
{
	if (s.len == 0 || s.len > 256)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == ':' || c == '.' || c == '+' || c == '-'))
			return false;
	}
	return true;
}

/* Status and note of an annotation; *@note_buf receives composed notes. */
static enum vg_aff_status
ann_status(const struct vg_debian_ann *ann, struct vg_buf *note_buf, const char **note)
{
	*note = ann->reason;
	switch (ann->kind) {
	case VG_DEBIAN_FIXED:
		/* The tracker writes "0" for "never vulnerable in this release". */
		*note = NULL;
		return strcmp(ann->version, "0") == 0 ? VG_AFF_NOT_AFFECTED : VG_AFF_FIXED;
	case VG_DEBIAN_UNFIXED:
		*note = NULL;
		return VG_AFF_AFFECTED;
	case VG_DEBIAN_NOT_AFFECTED:
		return VG_AFF_NOT_AFFECTED;
	case VG_DEBIAN_NO_DSA:
		return VG_AFF_NO_DSA;
	case VG_DEBIAN_POSTPONED:
	case VG_DEBIAN_REMOVED:
		/* Keep the word: postponed is a no-dsa waiting for a point release, removed
		 * an end of support by leaving the archive. */
		vg_buf_reset(note_buf);
		const char *word = ann->kind == VG_DEBIAN_POSTPONED ? "postponed" : "removed";
		int rc = ann->reason ? vg_buf_addf(note_buf, "%s: %s", word, ann->reason)
				     : vg_buf_addstr(note_buf, word);
		*note = rc == VG_OK ? note_buf->p : word; /* the buffer has no limit */
		return ann->kind == VG_DEBIAN_POSTPONED ? VG_AFF_NO_DSA : VG_AFF_END_OF_LIFE;
	case VG_DEBIAN_IGNORED:
		return VG_AFF_WONT_FIX;
	case VG_DEBIAN_END_OF_LIFE:
		return VG_AFF_END_OF_LIFE;
	case VG_DEBIAN_UNDETERMINED:
		*note = NULL;
		return VG_AFF_UNDETERMINED;
	case VG_DEBIAN_ITP:
	default:
		*note = NULL;
		return VG_AFF_UNDETERMINED; /* not reached: <itp> is skipped before */
	}
}

/* Can @ann be stated?  0: yes, with *@ns set; 1: skipped (warned and counted). */
static int
ann_check(struct vg_debian_imp *imp, const struct vg_debian_ann *ann, const char **ns)
{
	struct vg_err verr;
	const char *release = ann->release ? ann->release : "sid";
	int rc;

	vg_err_clear(&verr);
	if (ann->kind == VG_DEBIAN_ITP) {
		vg_debian_skip(imp, VG_DEBIAN_SKIP_ITP);
		return 1;
	}
	if (ann->package == NULL || !package_ok(vg_str_c(ann->package))) {
		vg_debian_warn(imp, "invalid source package name '%s'",
			       ann->package ? ann->package : "");
		vg_debian_skip(imp, VG_DEBIAN_SKIP_OTHER);
		return 1;
	}
	rc = vg_debian_release_ns(release, ns);
	if (rc == VG_EUNSUPPORTED) {
		vg_debian_skip(imp, VG_DEBIAN_SKIP_EXPERIMENTAL);
		return 1;
	}
	if (rc != VG_OK) {
		vg_debian_warn(imp, "unknown release '%s' (package %s) skipped", release,
			       ann->package);
		vg_debian_skip(imp, VG_DEBIAN_SKIP_RELEASE);
		return 1;
	}
	if (ann->kind == VG_DEBIAN_FIXED &&
	    (ann->version == NULL || vg_dpkg_validate(vg_str_c(ann->version), &verr) != VG_OK)) {
		vg_debian_warn(imp, "invalid version '%s' of %s in %s skipped: %s",
			       ann->version ? ann->version : "", ann->package, release,
			       ann->version ? verr.msg : "missing");
		vg_debian_skip(imp, VG_DEBIAN_SKIP_VERSION);
		return 1;
	}
	return 0;
}

int
vg_debian_emit(struct vg_debian_imp *imp, const struct vg_debian_ann *ann, const char *const *vulns,
	       size_t nvulns, const char *advisory, struct vg_err *err)
{
	struct vg_affected a;
	struct vg_buf note_buf;
	const char *ns;
	int rc = VG_OK;

	if (ann->line > 0)
		imp->line = ann->line;
	if (ann_check(imp, ann, &ns) != 0)
		return VG_OK;
	vg_buf_init(&note_buf, VG_BUF_NOLIMIT);
	memset(&a, 0, sizeof(a));
	a.advisory = advisory;
	a.ns = ns;
	a.package = ann->package;
	a.scheme = VG_VER_DPKG;
	a.status = ann_status(ann, &note_buf, &a.note);
	a.fixed = a.status == VG_AFF_FIXED ? ann->version : NULL;
	a.urgency = ann->urgency;
	for (size_t i = 0; i < nvulns && rc == VG_OK; i++) {
		a.vuln_id = vulns[i];
		if (imp->sink->affected != NULL)
			rc = imp->sink->affected(imp->sink->ctx, &a, err);
		if (rc == VG_OK)
			imp->nrecords++;
	}
	vg_buf_release(&note_buf);
	return rc;
}

/* ---- MD5 and TEMP- ids ---------------------------------------------------- */

static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
	0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
	0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
	0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
	0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391,
};

static const unsigned char md5_s[4][4] = {
	{7, 12, 17, 22},
	{5, 9, 14, 20},
	{4, 11, 16, 23},
	{6, 10, 15, 21},
};

static uint32_t
rotl32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void
md5_block(uint32_t h[4], const unsigned char *blk)
{
	uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++)
		m[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 |
		       (uint32_t)blk[4 * i + 2] << 16 | (uint32_t)blk[4 * i + 3] << 24;
	for (unsigned i = 0; i < 64; i++) {
		uint32_t f;
		unsigned g, round = i / 16;

		if (round == 0) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (round == 1) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (round == 2) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		f += a + md5_k[i] + m[g];
		a = d;
		d = c;
		c = b;
		b += rotl32(f, md5_s[round][i % 4]);
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

void
vg_debian_md5(const void *data, size_t len, unsigned char digest[16])
{
	uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
	const unsigned char *p = data;
	unsigned char tail[128];
	size_t full = len / 64 * 64, rest = len - full, tlen;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t off = 0; off < full; off += 64)
		md5_block(h, p + off);
	memset(tail, 0, sizeof(tail));
	if (rest > 0)
		memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	tlen = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tlen - 8 + (size_t)i] = (unsigned char)(bits >> (8 * i));
	for (size_t off = 0; off < tlen; off += 64)
		md5_block(h, tail + off);
	for (int i = 0; i < 16; i++)
		digest[i] = (unsigned char)(h[i / 4] >> (8 * (i % 4)));
}

void
vg_debian_temp_id(long bug, struct vg_str desc, char out[VG_DEBIAN_TEMP_ID_MAX])
{
	unsigned char d[16];

	vg_debian_md5(desc.p, desc.len, d);
	snprintf(out, VG_DEBIAN_TEMP_ID_MAX, "TEMP-%07ld-%02X%02X%02X", bug < 0 ? 0 : bug, d[0],
		 d[1], d[2]);
}

/* ---- ids and dates -------------------------------------------------------- */

bool
vg_debian_is_cve(struct vg_str s)
{
	return s.len >= 13 && s.len <= 32 && has_prefix(s, "CVE-") &&
	       vg_id_digits(vg_str_sub(s, 4, 4)) && s.p[8] == '-' &&
	       vg_id_digits(vg_str_sub(s, 9, s.len));
}

bool
vg_debian_is_cve_placeholder(struct vg_str s)
{
	return s.len == 13 && has_prefix(s, "CVE-") && vg_id_digits(vg_str_sub(s, 4, 4)) &&
	       s.p[8] == '-' && memcmp(s.p + 9, "XXXX", 4) == 0;
}

bool
vg_debian_is_temp(struct vg_str s)
{
	struct vg_str rest = vg_str_sub(s, 5, s.len);
	ptrdiff_t dash = vg_str_chr(rest, '-');

	if (s.len > 64 || !has_prefix(s, "TEMP-") || dash <= 0 ||
	    !vg_id_digits(vg_str_n(rest.p, (size_t)dash)) || (size_t)dash + 1 >= rest.len)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= ' ' || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

int
vg_debian_date_iso(struct vg_str s, char out[11])
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int month = 0;

	if (s.len != 11 || !vg_id_digits(vg_str_n(s.p, 2)) || s.p[2] != ' ' || s.p[6] != ' ' ||
	    !vg_id_digits(vg_str_sub(s, 7, 4)))
		return VG_EINVAL;
	for (int i = 0; i < 12; i++)
		if (memcmp(s.p + 3, months + 3 * i, 3) == 0)
			month = i + 1;
	int day = (s.p[0] - '0') * 10 + (s.p[1] - '0');
	if (month == 0 || day < 1 || day > 31)
		return VG_EINVAL;
	memcpy(out, s.p + 7, 4);
	out[4] = '-';
	out[5] = (char)('0' + month / 10);
	out[6] = (char)('0' + month % 10);
	out[7] = '-';
	out[8] = s.p[0];
	out[9] = s.p[1];
	out[10] = '\0';
	return VG_OK;
}

/* ---- one record of a list ------------------------------------------------- */

#define MAX_RECORD_ANNS 65536 /* package lines in one record */
#define MAX_RECORD_REFS 65536 /* CVE ids in one advisory */

struct rec {
	struct vg_arena arena; /* strings of this record */
	char *id;              /* as written in the header */
	char *desc;            /* the header's text after the id, or NULL */
	char date[11];         /* DSA/DLA: ISO date; "" for CVE entries */
	long line;             /* header line */
	size_t bytes;          /* input consumed by the record */
	char **cves;
	size_t ncves, cap_cves;
	struct vg_debian_ann *anns;
	size_t nanns, cap_anns;
	bool had_pkg; /* a package line was seen (even if it was skipped) */
	bool reserved, rejected, nfu;
};

static void
rec_reset(struct rec *r)
{
	vg_arena_release(&r->arena);
	r->id = r->desc = NULL;
	r->date[0] = '\0';
	r->line = 0;
	r->bytes = 0;
	r->ncves = r->nanns = 0;
	r->had_pkg = r->reserved = r->rejected = r->nfu = false;
}

static void
rec_release(struct rec *r)
{
	vg_arena_release(&r->arena);
	free(r->cves);
	free(r->anns);
}

enum list_kind { LIST_ADVISORIES, LIST_CVES };

struct lctx {
	enum list_kind kind;
	struct vg_feed_in *in;
	struct vg_debian_imp imp;
	struct vg_err *err;
	char prefix[4]; /* "DSA" or "DLA" once the first header is read */
	char newest[11];
	struct rec rec;
	bool have_rec;
	long nheaders;
};

static int lerror(struct lctx *c, int code, const char *fmt, ...) VG_PRINTF(3, 4);

/* An error naming the record and the line. */
static int
lerror(struct lctx *c, int code, const char *fmt, ...)
{
	char msg[VG_ERR_MSG_MAX];
	int n = 0;
	va_list ap;

	if (c->have_rec && c->rec.id != NULL)
		n = snprintf(msg, sizeof(msg), "record %s: ", c->rec.id);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	vg_error(c->err, code, "%s", msg);
	if (c->err != NULL)
		c->err->line = c->in->lineno > INT_MAX ? 0 : (int)c->in->lineno;
	return code;
}

static char *
rec_str(struct rec *r, struct vg_str s)
{
	return vg_arena_strndup(&r->arena, s);
}

static int
rec_add_cve(struct lctx *c, struct vg_str id)
{
	struct rec *r = &c->rec;

	if (r->ncves == MAX_RECORD_REFS)
		return lerror(c, VG_ETOOBIG, "more than %d CVE ids", MAX_RECORD_REFS);
	if (r->ncves == r->cap_cves) {
		r->cap_cves = r->cap_cves ? 2 * r->cap_cves : 16;
		r->cves = vg_xreallocarray(r->cves, r->cap_cves, sizeof(*r->cves));
	}
	r->cves[r->ncves++] = rec_str(r, id);
	return VG_OK;
}

static int
rec_add_ann(struct lctx *c, const struct vg_debian_ann *ann)
{
	struct rec *r = &c->rec;

	if (r->nanns == MAX_RECORD_ANNS)
		return lerror(c, VG_ETOOBIG, "more than %d package lines", MAX_RECORD_ANNS);
	if (r->nanns == r->cap_anns) {
		r->cap_anns = r->cap_anns ? 2 * r->cap_anns : 16;
		r->anns = vg_xreallocarray(r->anns, r->cap_anns, sizeof(*r->anns));
	}
	r->anns[r->nanns++] = *ann;
	return VG_OK;
}

/* ---- annotation lines ----------------------------------------------------- */

/* "(...)" around @s, or an empty @s: the inner text in *@inner. */
static bool
parenthesized(struct vg_str s, struct vg_str *inner)
{
	s = vg_str_trim(s);
	if (s.len == 0) {
		*inner = s;
		return true;
	}
	if (s.len < 2 || s.p[0] != '(' || s.p[s.len - 1] != ')')
		return false;
	*inner = vg_str_sub(s, 1, s.len - 2);
	return true;
}

static bool
release_ok(struct vg_str s)
{
	if (s.len == 0 || s.len > 64)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] < 'a' || s.p[i] > 'z')
			return false;
	return true;
}

/*
 * "[release] - package version (flags)" or "[release] - package <kind> (text)",
 * the release optional.  VG_OK with @ann filled, 1 when the line is skipped
 * (warned), or an error.
 */
static int
parse_package_line(struct lctx *c, struct vg_str t, struct vg_debian_ann *ann)
{
	struct vg_str rest = t, pkg, word, inner;
	struct rec *r = &c->rec;

	memset(ann, 0, sizeof(*ann));
	ann->line = c->in->lineno;
	if (rest.p[0] == '[') {
		ptrdiff_t close = vg_str_chr(rest, ']');
		if (close < 0 || !release_ok(vg_str_sub(rest, 1, (size_t)close - 1)))
			return lerror(c, VG_EINVAL, "malformed release in '%.*s'", (int)t.len, t.p);
		ann->release = rec_str(r, vg_str_sub(rest, 1, (size_t)close - 1));
		rest = vg_str_sub(rest, (size_t)close + 1, rest.len);
		if (rest.len == 0 || (rest.p[0] != ' ' && rest.p[0] != '\t'))
			return lerror(c, VG_EINVAL,
				      "expected ' - package' after the release in '%.*s'",
				      (int)t.len, t.p);
		rest = skip_ws(rest);
	}
	if (rest.len < 2 || rest.p[0] != '-' || (rest.p[1] != ' ' && rest.p[1] != '\t'))
		return lerror(c, VG_EINVAL, "expected '- package' in '%.*s'", (int)t.len, t.p);
	pkg = token(skip_ws(vg_str_sub(rest, 1, rest.len)), &rest);
	if (!package_ok(pkg))
		return lerror(c, VG_EINVAL, "invalid package name in '%.*s'", (int)t.len, t.p);
	ann->package = rec_str(r, pkg);
	rest = skip_ws(rest);
	if (c->kind == LIST_ADVISORIES && ann->release == NULL)
		return lerror(c, VG_EINVAL, "package line without [release] in '%.*s'", (int)t.len,
			      t.p);
	if (rest.len > 0 && rest.p[0] == '<') {
		ptrdiff_t close = vg_str_chr(rest, '>');
		if (close < 0)
			return lerror(c, VG_EINVAL, "unterminated '<' in '%.*s'", (int)t.len, t.p);
		word = vg_str_sub(rest, 1, (size_t)close - 1);
		if (!parenthesized(vg_str_sub(rest, (size_t)close + 1, rest.len), &inner))
			return lerror(c, VG_EINVAL, "unexpected text after <%.*s> in '%.*s'",
				      (int)word.len, word.p, (int)t.len, t.p);
		if (vg_debian_kind_parse(word, &ann->kind) != VG_OK) {
			c->imp.line = ann->line;
			vg_debian_warn(&c->imp, "unknown annotation <%.*s> (package %s) skipped",
				       (int)word.len, word.p, ann->package);
			vg_debian_skip(&c->imp, VG_DEBIAN_SKIP_KIND);
			return 1;
		}
	} else if (rest.len > 0 && rest.p[0] != '(') {
		ann->kind = VG_DEBIAN_FIXED;
		word = token(rest, &rest);
		ann->version = rec_str(r, word);
		if (!parenthesized(rest, &inner))
			return lerror(c, VG_EINVAL, "unexpected text after the version in '%.*s'",
				      (int)t.len, t.p);
	} else {
		/* No version: data/CVE/list means <unfixed>; an advisory must name one. */
		if (c->kind == LIST_ADVISORIES)
			return lerror(c, VG_EINVAL, "expected a version or <annotation> in '%.*s'",
				      (int)t.len, t.p);
		ann->kind = VG_DEBIAN_UNFIXED;
		if (!parenthesized(rest, &inner))
			return lerror(c, VG_EINVAL, "malformed '%.*s'", (int)t.len, t.p);
	}
	c->imp.line = ann->line;
	if (vg_debian_kind_has_reason(ann->kind))
		ann->reason = inner.len > 0 ? rec_str(r, inner) : NULL;
	else
		vg_debian_parse_flags(&c->imp, inner, &ann->urgency, &ann->bug);
	return VG_OK;
}

/* "{CVE-... CVE-...}": an advisory's CVEs (cross-references of a CVE entry are ignored). */
static int
parse_xref(struct lctx *c, struct vg_str t)
{
	struct vg_str rest, id;

	if (t.len < 2 || t.p[t.len - 1] != '}')
		return lerror(c, VG_EINVAL, "unterminated '{' in '%.*s'", (int)t.len, t.p);
	rest = vg_str_sub(t, 1, t.len - 2);
	if (c->kind == LIST_CVES)
		return VG_OK;
	for (rest = skip_ws(rest); rest.len > 0; rest = skip_ws(rest)) {
		id = token(rest, &rest);
		if (vg_debian_is_cve(id)) {
			int rc = rec_add_cve(c, id);
			if (rc != VG_OK)
				return rc;
		} else {
			c->imp.line = c->in->lineno;
			vg_debian_warn(&c->imp, "cross-reference '%.*s' ignored (not a CVE id)",
				       (int)id.len, id.p);
		}
	}
	return VG_OK;
}

static bool
is_flag_line(struct vg_str t, const char *flag, const char *note_form)
{
	if (vg_str_eqc(t, flag))
		return true;
	/* The tracker also accepts "NOTE: reserved" / "NOTE: rejected". */
	if (!has_prefix(t, "NOTE:"))
		return false;
	return vg_str_eqc(skip_ws(vg_str_sub(t, 5, t.len)), note_form);
}

static int
parse_annotation(struct lctx *c, struct vg_str t)
{
	struct vg_debian_ann ann;
	int rc;

	if (t.p[0] == '{')
		return parse_xref(c, t);
	if (t.p[0] == '[' || t.p[0] == '-') {
		c->rec.had_pkg = true;
		rc = parse_package_line(c, t, &ann);
		if (rc != VG_OK)
			return rc > 0 ? VG_OK : rc;
		return rec_add_ann(c, &ann);
	}
	if (is_flag_line(t, "RESERVED", "reserved")) {
		c->rec.reserved = true;
		return VG_OK;
	}
	if (is_flag_line(t, "REJECTED", "rejected")) {
		c->rec.rejected = true;
		return VG_OK;
	}
	if (has_prefix(t, "NOT-FOR-US:")) {
		c->rec.nfu = true;
		return VG_OK;
	}
	if (has_prefix(t, "NOTE:") || has_prefix(t, "TODO:"))
		return VG_OK;
	return lerror(c, VG_EINVAL, "unexpected annotation '%.*s'", (int)t.len, t.p);
}

/* ---- headers -------------------------------------------------------------- */

/* "DSA-5380-1", "DLA-3372-1", "DSA-141": *@prefix gets "DSA" / "DLA". */
static bool
advisory_id_ok(struct vg_str id)
{
	if (id.len > 32 || !(has_prefix(id, "DSA-") || has_prefix(id, "DLA-")))
		return false;
	struct vg_str num = vg_str_sub(id, 4, id.len);
	ptrdiff_t dash = vg_str_chr(num, '-');
	if (dash < 0)
		return vg_id_digits(num);
	return vg_id_digits(vg_str_n(num.p, (size_t)dash)) &&
	       vg_id_digits(vg_str_sub(num, (size_t)dash + 1, num.len));
}

/* "[29 Mar 2023] DSA-5380-1 text": date, id and text (possibly empty). */
static bool
split_advisory_header(struct vg_str line, struct vg_str *date, struct vg_str *id,
		      struct vg_str *text)
{
	if (line.len < 14 || line.p[0] != '[' || line.p[12] != ']' || line.p[13] != ' ')
		return false;
	*date = vg_str_sub(line, 1, 11);
	*id = token(vg_str_sub(line, 14, line.len), text);
	*text = vg_str_trim(*text);
	return advisory_id_ok(*id);
}

static int
parse_advisory_header(struct lctx *c, struct vg_str line)
{
	struct vg_str date, id, text;
	struct rec *r = &c->rec;

	if (!split_advisory_header(line, &date, &id, &text))
		return lerror(
			c, VG_EINVAL,
			"expected a '[dd Mon yyyy] DSA-nnnn-n' or 'DLA-nnnn-n' header, got '%.*s'",
			(int)(line.len > 80 ? 80 : line.len), line.p);
	r->id = rec_str(r, id);
	r->line = c->in->lineno;
	if (vg_debian_date_iso(date, r->date) != VG_OK)
		return lerror(c, VG_EINVAL, "invalid date '%.*s'", (int)date.len, date.p);
	if (c->prefix[0] == '\0')
		memcpy(c->prefix, id.p, 3);
	else if (memcmp(c->prefix, id.p, 3) != 0)
		return lerror(c, VG_EINVAL, "%.3s advisory in a %s list", id.p, c->prefix);
	r->desc = text.len > 0 ? rec_str(r, text) : NULL;
	if (strcmp(r->date, c->newest) > 0)
		memcpy(c->newest, r->date, sizeof(c->newest));
	return VG_OK;
}

/* "CVE-2021-36367 (description)", "CVE-2023-XXXX [text]", "TEMP-0000000-ABCDEF ...". */
static bool
split_cve_header(struct vg_str line, struct vg_str *id, struct vg_str *text)
{
	*id = token(line, text);
	*text = vg_str_trim(*text);
	return vg_debian_is_cve(*id) || vg_debian_is_cve_placeholder(*id) || vg_debian_is_temp(*id);
}

static int
parse_cve_header(struct lctx *c, struct vg_str line)
{
	struct vg_str id, text;
	struct rec *r = &c->rec;

	if (!split_cve_header(line, &id, &text))
		return lerror(c, VG_EINVAL, "expected a 'CVE-YYYY-NNNN' header, got '%.*s'",
			      (int)(line.len > 80 ? 80 : line.len), line.p);
	r->id = rec_str(r, id);
	r->line = c->in->lineno;
	r->desc = text.len > 0 ? rec_str(r, text) : NULL;
	return VG_OK;
}

/* ---- flushing a record ---------------------------------------------------- */

static int
flush_advisory(struct lctx *c)
{
	struct rec *r = &c->rec;
	struct vg_vuln v;
	const char *self[1] = {r->id};
	int rc;

	/* Announcements (end of life, key changes) name neither CVEs nor packages. */
	if (r->ncves == 0 && !r->had_pkg)
		return VG_OK;
	vg_debian_vuln_init(&v);
	v.id = r->id;
	v.aliases = (const char *const *)r->cves;
	v.naliases = r->ncves;
	v.summary = r->desc;
	v.published = r->date;
	c->imp.line = r->line;
	rc = vg_debian_vuln(&c->imp, &v, c->err);
	for (size_t i = 0; i < r->nanns && rc == VG_OK; i++) {
		/* A regression update without CVEs: the statement is about the advisory. */
		if (r->ncves == 0)
			rc = vg_debian_emit(&c->imp, &r->anns[i], self, 1, r->id, c->err);
		else
			rc = vg_debian_emit(&c->imp, &r->anns[i], (const char *const *)r->cves,
					    r->ncves, r->id, c->err);
	}
	return rc;
}

struct vg_str
vg_debian_strip_desc(struct vg_str d)
{
	if (d.len >= 2 &&
	    ((d.p[0] == '(' && d.p[d.len - 1] == ')') || (d.p[0] == '[' && d.p[d.len - 1] == ']')))
		d = vg_str_sub(d, 1, d.len - 2);
	return d;
}

void
vg_debian_inherit_urgency(struct vg_debian_ann *anns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vg_debian_ann *a = &anns[i];
		if (a->release == NULL || a->urgency != NULL)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (anns[j].release == NULL && strcmp(anns[j].package, a->package) == 0) {
				a->urgency = anns[j].urgency;
				break;
			}
		}
	}
}

static int
flush_cve(struct lctx *c)
{
	struct rec *r = &c->rec;
	struct vg_vuln v;
	char temp[VG_DEBIAN_TEMP_ID_MAX];
	const char *id = r->id;
	struct vg_str desc = vg_debian_strip_desc(vg_str_c(r->desc));
	int rc;

	if (vg_debian_is_cve_placeholder(vg_str_c(r->id))) {
		long bug = 0;
		for (size_t i = 0; i < r->nanns && bug == 0; i++)
			bug = r->anns[i].bug;
		vg_debian_temp_id(bug, desc, temp);
		id = temp;
	}
	c->imp.record = id;
	c->imp.line = r->line;
	if (r->nfu && r->had_pkg)
		vg_debian_warn(&c->imp, "NOT-FOR-US entry has package lines (they are imported)");
	if (r->nanns == 0 && !r->rejected)
		return VG_OK;
	vg_debian_vuln_init(&v);
	v.id = id;
	v.summary = desc.len > 0 ? vg_arena_strndup(&r->arena, desc) : NULL;
	v.withdrawn = r->rejected;
	rc = vg_debian_vuln(&c->imp, &v, c->err);
	vg_debian_inherit_urgency(r->anns, r->nanns);
	for (size_t i = 0; i < r->nanns && rc == VG_OK; i++)
		rc = vg_debian_emit(&c->imp, &r->anns[i], &id, 1, NULL, c->err);
	return rc;
}

/* ---- the import loop ------------------------------------------------------ */

static int
begin(struct lctx *c, struct vg_feed_source *src)
{
	memset(src, 0, sizeof(*src));
	if (c->kind == LIST_CVES) {
		src->name = "debian-cve";
		src->format = vg_imp_debian_cve_list.format;
	} else {
		src->name = strcmp(c->prefix, "DLA") == 0 ? "debian-dla" : "debian-dsa";
		src->format = vg_imp_debian_list.format;
	}
	src->mode = VG_FEED_REPLACE;
	src->path = c->in->path;
	if (c->imp.sink->begin == NULL)
		return VG_OK;
	return c->imp.sink->begin(c->imp.sink->ctx, src, c->err);
}

/* Lines the tracker's reader skips between CVE entries. */
static bool
cve_list_noise(struct vg_str line)
{
	return has_prefix(line, "--") || has_prefix(line, "begin claimed by ") ||
	       has_prefix(line, "end claimed by ") || has_prefix(line, "STOP:");
}

static int
flush(struct lctx *c)
{
	int rc;

	if (!c->have_rec)
		return VG_OK;
	c->imp.record = c->rec.id;
	rc = c->kind == LIST_CVES ? flush_cve(c) : flush_advisory(c);
	c->imp.record = NULL;
	rec_reset(&c->rec);
	c->have_rec = false;
	return rc;
}

static int
read_line(struct lctx *c, struct vg_str line, struct vg_feed_source *src)
{
	struct vg_str t = vg_str_trim(line);
	int rc;

	for (size_t i = 0; i < line.len; i++) {
		unsigned char ch = (unsigned char)line.p[i];
		/* The tracker's own reader refuses them too; they would cut strings short. */
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return lerror(c, VG_EINVAL, "control character 0x%02x in column %zu", ch,
				      i + 1);
	}
	if (t.len == 0 || (c->kind == LIST_CVES && cve_list_noise(line)))
		return VG_OK;
	if (line.p[0] == ' ' || line.p[0] == '\t') {
		if (!c->have_rec)
			return lerror(c, VG_EINVAL, "indented line before the first header");
		c->rec.bytes += line.len;
		if (c->rec.bytes > VG_FEED_MAX_RECORD)
			return lerror(c, VG_ETOOBIG, "record larger than %d bytes",
				      VG_FEED_MAX_RECORD);
		return parse_annotation(c, t);
	}
	rc = flush(c);
	if (rc != VG_OK)
		return rc;
	c->have_rec = true;
	rc = c->kind == LIST_CVES ? parse_cve_header(c, t) : parse_advisory_header(c, t);
	if (rc != VG_OK)
		return rc;
	c->imp.record = c->rec.id;
	if (c->nheaders++ == 0)
		rc = begin(c, src);
	return rc;
}

static int
import_list(enum list_kind kind, struct vg_feed_in *in, const struct vg_feed_sink *sink,
	    struct vg_err *err)
{
	struct lctx c;
	struct vg_feed_source src;
	struct vg_str line;
	int rc;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.in = in;
	c.err = err;
	vg_debian_imp_init(&c.imp, sink, in->path);
	vg_arena_init(&c.rec.arena);
	while ((rc = vg_feed_in_line(in, &line, err)) == 1) {
		rc = read_line(&c, line, &src);
		if (rc != VG_OK)
			break;
	}
	if (rc == 0)
		rc = flush(&c);
	if (rc == VG_OK && c.nheaders == 0)
		rc = vg_error(err, VG_EINVAL, "no %s in the file",
			      kind == LIST_CVES ? "CVE entry" : "advisory");
	if (rc == VG_OK) {
		c.imp.line = 0;
		vg_debian_summary(&c.imp);
		src.snapshot = c.newest[0] ? c.newest : NULL;
		if (sink->end != NULL)
			rc = sink->end(sink->ctx, &src, c.imp.nrecords, err);
	}
	rec_release(&c.rec);
	return rc;
}

static int
import_advisories(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	return import_list(LIST_ADVISORIES, in, sink, err);
}

static int
import_cves(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	return import_list(LIST_CVES, in, sink, err);
}

/* ---- detection ------------------------------------------------------------ */

/* The first non-blank line of the sniffed head, and the position after it. */
static bool
first_line(const struct vg_sniff *s, struct vg_str *line, size_t *pos)
{
	struct vg_str head = vg_str_n(s->head, s->len);

	*pos = 0;
	while (vg_str_next_line(head, pos, line))
		if (vg_str_trim(*line).len > 0)
			return true;
	return false;
}

static int
probe_advisories(const struct vg_sniff *s)
{
	struct vg_str line, date, id, text;
	char iso[11];
	size_t pos;

	/* "[29 Mar 2023] ..." starts like a JSON array, so the sniffer may call it one. */
	if (s->kind == VG_SNIFF_JSON_OBJECT || !first_line(s, &line, &pos))
		return 0;
	if (!split_advisory_header(line, &date, &id, &text) ||
	    vg_debian_date_iso(date, iso) != VG_OK)
		return 0;
	return 100;
}

static int
probe_cves(const struct vg_sniff *s)
{
	struct vg_str head = vg_str_n(s->head, s->len), line, id, text;
	size_t pos;
	bool indented = false;

	if (s->kind != VG_SNIFF_TEXT || !first_line(s, &line, &pos) ||
	    !split_cve_header(line, &id, &text))
		return 0;
	/* Every complete line after it is a header, an annotation or the reader's noise. */
	while (vg_str_next_line(head, &pos, &line)) {
		if (pos >= s->len && s->len >= VG_SNIFF_MAX)
			break; /* the last line may be cut */
		if (vg_str_trim(line).len == 0 || cve_list_noise(line))
			continue;
		if (line.p[0] == ' ' || line.p[0] == '\t')
			indented = true;
		else if (!split_cve_header(line, &id, &text))
			return 0;
	}
	return indented ? 100 : 0;
}

const struct vg_importer vg_imp_debian_list = {
	.format = "debian-dsa-list",
	.description = "Debian security tracker DSA or DLA list (data/DSA/list, data/DLA/list)",
	.probe = probe_advisories,
	.import = import_advisories,
};

const struct vg_importer vg_imp_debian_cve_list = {
	.format = "debian-cve-list",
	.description = "Debian security tracker CVE list (data/CVE/list)",
	.probe = probe_cves,
	.import = import_cves,
};
