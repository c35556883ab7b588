/*
 * score.c - finding risk, severity and the device exposure score.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "engine/score.h"

const char *
vg_fsev_name(enum vg_fsev sev)
{
	static const char *const names[] = {"Unknown", "Low", "Medium", "High", "Critical"};

	return (unsigned)sev < VG_ARRAY_LEN(names) ? names[sev] : "Unknown";
}

int
vg_fsev_parse(const char *s, enum vg_fsev *sev)
{
	for (int i = VG_FSEV_LOW; i <= VG_FSEV_CRITICAL; i++) {
		if (strcasecmp(s, vg_fsev_name((enum vg_fsev)i)) == 0) {
			*sev = (enum vg_fsev)i;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

enum vg_fsev
vg_fsev_of_score(double score)
{
	if (isnan(score))
		return VG_FSEV_UNKNOWN;
	/* Scores carry one decimal; compare with half a step of slack against 6.9999. */
	if (score >= 8.95)
		return VG_FSEV_CRITICAL;
	if (score >= 6.95)
		return VG_FSEV_HIGH;
	if (score >= 3.95)
		return VG_FSEV_MEDIUM;
	return VG_FSEV_LOW;
}

double
vg_severity_word_score(const char *word)
{
	static const struct {
		const char *word;
		double score;
	} words[] = {
		{"critical", 9.0}, {"high", 7.5}, {"important", 7.5},  {"medium", 5.5},
		{"moderate", 5.5}, {"low", 3.0},  {"negligible", 1.0}, {"unimportant", 1.0},
	};
	size_t n;

	if (!word)
		return NAN;
	/* Debian marks urgencies it has not confirmed with "*" / "**": same word. */
	n = strcspn(word, "*");
	while (n > 0 && word[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < VG_ARRAY_LEN(words); i++)
		if (strlen(words[i].word) == n && strncasecmp(word, words[i].word, n) == 0)
			return words[i].score;
	return NAN;
}

static bool
is_unimportant(const char *urgency)
{
	return urgency && strncasecmp(urgency, "unimportant", 11) == 0;
}

/* s and the severity: the first score available in the documented order. */
static void
severity_factor(const struct vg_score_in *in, struct vg_score_out *out)
{
	const struct {
		double score;
		const char *source;
	} order[] = {
		{in->cvss_v3, "cvssV3"},
		{in->cvss_v4, "cvssV4"},
		{in->cvss_v2, "cvssV2"},
		{vg_severity_word_score(in->vendor_severity), "vendor"},
		{vg_severity_word_score(in->urgency), "urgency"},
	};

	for (size_t i = 0; i < VG_ARRAY_LEN(order); i++) {
		if (!isnan(order[i].score)) {
			out->base = order[i].score;
			out->base_source = order[i].source;
			out->s = order[i].score / 10.0;
			out->severity = vg_fsev_of_score(order[i].score);
			return;
		}
	}
	out->base = NAN;
	out->base_source = "unknown";
	out->s = VG_S_UNKNOWN;
	out->severity = VG_FSEV_UNKNOWN;
}

static void
likelihood_factor(const struct vg_score_in *in, struct vg_score_out *out)
{
	if (in->kev) {
		out->l = VG_L_KEV;
		out->l_source = "kev";
		return;
	}
	if (in->has_epss && !isnan(in->epss)) {
		double p = in->epss < 0 ? 0 : in->epss > 1 ? 1 : in->epss;

		out->l = sqrt(p);
		out->l_source = "epss";
		if (out->l < VG_L_FLOOR) {
			out->l = VG_L_FLOOR;
			out->l_source = "epss-floor";
		}
	} else {
		out->l = VG_L_UNKNOWN;
		out->l_source = "unknown";
	}
	if (in->exploit_ref && out->l < VG_L_EXPLOIT) {
		out->l = VG_L_EXPLOIT;
		out->l_source = "exploit";
	}
}

static double
status_weight(enum vg_finding_status status)
{
	switch (status) {
	case VG_FS_FIX_AVAILABLE:
		return VG_W_FIX_AVAILABLE;
	case VG_FS_END_OF_LIFE:
		return VG_W_END_OF_LIFE;
	case VG_FS_NO_FIX:
		return VG_W_NO_FIX;
	case VG_FS_NO_DSA:
		return VG_W_NO_DSA;
	case VG_FS_WILL_NOT_FIX:
	default:
		return VG_W_WILL_NOT_FIX;
	}
}

void
vg_score_input(const struct vg_kb_vuln_info *info, const struct vg_vuln_match *vm, bool running,
	       bool listening, bool device_exposed, struct vg_score_in *in)
{
	*in = (struct vg_score_in){
		.cvss_v3 = info->cvss_v3,
		.cvss_v4 = info->cvss_v4,
		.cvss_v2 = info->cvss_v2,
		.vendor_severity = info->severity,
		.urgency = vm ? vm->urgency : NULL,
		.kev = info->kev,
		.has_epss = info->has_epss,
		.epss = info->epss,
		.exploit_ref = info->exploit_ref,
		.status = vm ? vm->status : VG_FS_FIX_AVAILABLE,
		.running = running,
		.listening = listening,
		.device_exposed = device_exposed,
	};
	if (!info->known) {
		in->cvss_v3 = in->cvss_v4 = in->cvss_v2 = NAN;
		in->vendor_severity = NULL;
	}
}

double
vg_score_context(bool running, bool listening, bool device_exposed)
{
	double c = listening ? VG_C_LISTENING : running ? VG_C_RUNNING : 1.0;

	return device_exposed ? c * VG_C_EXPOSED : c;
}

void
vg_score_finding(const struct vg_score_in *in, struct vg_score_out *out)
{
	severity_factor(in, out);
	/* "unimportant" is the distro's judgement that its build is not at risk in practice:
	 * the finding is shown as Low whatever the CVSS score of the upstream flaw. */
	if (is_unimportant(in->urgency))
		out->severity = VG_FSEV_LOW;
	likelihood_factor(in, out);
	out->c = vg_score_context(in->running, in->listening, in->device_exposed);
	out->w = status_weight(in->status);
	if (is_unimportant(in->urgency))
		out->w *= VG_W_UNIMPORTANT;
	out->risk = out->s * out->l * out->c * out->w;
}

const char *
vg_band_name(enum vg_band band)
{
	return band == VG_BAND_HIGH ? "high" : band == VG_BAND_MEDIUM ? "medium" : "low";
}

double
vg_exposure_score(double risk_sum)
{
	double e;

	if (!(risk_sum > 0))
		return 0.0;
	e = 100.0 * (1.0 - exp(-risk_sum / VG_EXPOSURE_K));
	return round(e * 10.0) / 10.0;
}

enum vg_band
vg_exposure_band(double score)
{
	if (score >= 70.0)
		return VG_BAND_HIGH;
	if (score >= 30.0)
		return VG_BAND_MEDIUM;
	return VG_BAND_LOW;
}
