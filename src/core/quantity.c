/*
 * quantity.c: Kubernetes resource.Quantity parsing, rounding and the
 * canonical string form, following apimachinery's rules: values round away
 * from zero to nano precision, magnitudes are capped at 2^63-1, and a binary
 * quantity that is not a whole number of at least 1024 prints in decimal.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/quantity.h"

__extension__ typedef unsigned __int128 u128;

/* Digits past 18 significant ones only move the exponent (and round up). */
#define MANTISSA_LIMIT UINT64_C(100000000000000000)
static const u128 U128_MAX = ~(u128)0;

struct suffix {
	const char *text;
	int32_t exp10;
	int32_t exp2;
	enum quantity_format format;
};

static const struct suffix suffixes[] = {
	{ "Ki", 0, 10, QUANTITY_BINARY_SI }, { "Mi", 0, 20, QUANTITY_BINARY_SI },
	{ "Gi", 0, 30, QUANTITY_BINARY_SI }, { "Ti", 0, 40, QUANTITY_BINARY_SI },
	{ "Pi", 0, 50, QUANTITY_BINARY_SI }, { "Ei", 0, 60, QUANTITY_BINARY_SI },
	{ "n", -9, 0, QUANTITY_DECIMAL_SI }, { "u", -6, 0, QUANTITY_DECIMAL_SI },
	{ "m", -3, 0, QUANTITY_DECIMAL_SI }, { "k", 3, 0, QUANTITY_DECIMAL_SI },
	{ "M", 6, 0, QUANTITY_DECIMAL_SI },  { "G", 9, 0, QUANTITY_DECIMAL_SI },
	{ "T", 12, 0, QUANTITY_DECIMAL_SI }, { "P", 15, 0, QUANTITY_DECIMAL_SI },
	{ "E", 18, 0, QUANTITY_DECIMAL_SI },
};

static enum od_status bad(const char *s, struct err *e)
{
	return err_set(e, OD_EPARSE,
		       "invalid quantity \"%.64s\": want a number with an optional suffix, "
		       "like 250m, 1.5, 512Mi or 2Gi", s);
}

/* Reads the "e3" / "E-2" exponent form; the whole rest of the string must be it. */
static int parse_exponent(const char *p, int32_t *exp10)
{
	int sign = 1;
	long v = 0;

	if (*p != 'e' && *p != 'E')
		return 0;
	p++;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > 1000)
			return 0;
	}
	if (*p)
		return 0;
	*exp10 = (int32_t)(sign * v);
	return 1;
}

enum od_status quantity_parse(const char *s, struct quantity *q, struct err *e)
{
	const char *p = s;
	int digits = 0, sticky = 0;

	if (!s)
		return err_set(e, OD_EINVAL, "missing quantity");
	memset(q, 0, sizeof(*q));
	q->format = QUANTITY_DECIMAL_SI;
	if (*p == '+' || *p == '-')
		q->negative = *p++ == '-';
	while (isdigit((unsigned char)*p)) {
		if (q->mantissa < MANTISSA_LIMIT) {
			q->mantissa = q->mantissa * 10 + (uint64_t)(*p - '0');
		} else {
			q->exp10++;
			sticky |= *p != '0';
		}
		digits++;
		p++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (q->mantissa < MANTISSA_LIMIT) {
				q->mantissa = q->mantissa * 10 + (uint64_t)(*p - '0');
				q->exp10--;
			} else {
				sticky |= *p != '0';
			}
			digits++;
			p++;
		}
	}
	if (!digits)
		return bad(s, e);
	if (*p) {
		int32_t x = 0;
		size_t i;
		for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
			if (strcmp(p, suffixes[i].text) == 0)
				break;
		if (i < sizeof(suffixes) / sizeof(suffixes[0])) {
			q->exp10 += suffixes[i].exp10;
			q->exp2 = suffixes[i].exp2;
			q->format = suffixes[i].format;
		} else if (parse_exponent(p, &x)) {
			q->exp10 += x;
			q->format = QUANTITY_DECIMAL_EXP;
		} else {
			return bad(s, e);
		}
	}
	/* Dropped non-zero digits make the magnitude a little larger: round up. */
	if (sticky)
		q->mantissa++;
	if (q->mantissa == 0)
		q->negative = false;
	return OD_OK;
}

static u128 pow10_u128(int n)
{
	u128 v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

/* ceil(|q| * 10^scale10), saturating at U128_MAX. */
static u128 magnitude_scaled(const struct quantity *q, int scale10)
{
	u128 num = q->mantissa;
	int t = q->exp10 + scale10;

	if (num == 0)
		return 0;
	for (int i = 0; i < q->exp2; i++) {
		if (num > U128_MAX / 2)
			return U128_MAX;
		num *= 2;
	}
	for (; t > 0; t--) {
		if (num > U128_MAX / 10)
			return U128_MAX;
		num *= 10;
	}
	if (t < 0) {
		if (-t > 38)
			return 1;
		u128 den = pow10_u128(-t);
		num = num / den + (num % den != 0);
	}
	return num;
}

static int64_t clamp_signed(u128 mag, bool negative)
{
	if (mag > (u128)INT64_MAX)
		mag = (u128)INT64_MAX;
	return negative ? -(int64_t)mag : (int64_t)mag;
}

int64_t quantity_value(const struct quantity *q)
{
	return clamp_signed(magnitude_scaled(q, 0), q->negative);
}

int64_t quantity_milli(const struct quantity *q)
{
	return clamp_signed(magnitude_scaled(q, 3), q->negative);
}

static void u128_to_str(u128 v, char *out, size_t n)
{
	char tmp[48];
	size_t i = sizeof(tmp);

	tmp[--i] = '\0';
	do {
		tmp[--i] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v && i > 0);
	snprintf(out, n, "%s", tmp + i);
}

static const char *decimal_suffix(int exp)
{
	switch (exp) {
	case -9: return "n";
	case -6: return "u";
	case -3: return "m";
	case 0: return "";
	case 3: return "k";
	case 6: return "M";
	case 9: return "G";
	case 12: return "T";
	case 15: return "P";
	case 18: return "E";
	default: return NULL;
	}
}

void quantity_format_canonical(const struct quantity *q, char *out, size_t n)
{
	static const char *const bin[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	const u128 nano = (u128)1000000000;
	const u128 cap = (u128)INT64_MAX * nano;
	u128 v = magnitude_scaled(q, 9);
	char num[48];
	const char *sign = q->negative ? "-" : "";

	if (v > cap)
		v = cap;
	if (v == 0) {
		snprintf(out, n, "0");
		return;
	}
	if (q->format == QUANTITY_BINARY_SI && v >= 1024 * nano && v % nano == 0) {
		u128 whole = v / nano;
		int k = 0;
		while (k < 6 && whole % 1024 == 0) {
			whole /= 1024;
			k++;
		}
		u128_to_str(whole, num, sizeof(num));
		snprintf(out, n, "%s%s%s", sign, num, bin[k]);
		return;
	}
	int exp = -9;
	while (v % 10 == 0) {
		v /= 10;
		exp++;
	}
	int r = exp % 3;
	if (r == 1 || r == -2) {
		v *= 10;
		exp -= 1;
	} else if (r == 2 || r == -1) {
		v *= 100;
		exp -= 2;
	}
	u128_to_str(v, num, sizeof(num));
	const char *suf = decimal_suffix(exp);
	if (q->format == QUANTITY_DECIMAL_EXP || !suf) {
		if (exp == 0)
			snprintf(out, n, "%s%s", sign, num);
		else
			snprintf(out, n, "%s%se%d", sign, num, exp);
		return;
	}
	snprintf(out, n, "%s%s%s", sign, num, suf);
}

bool quantity_parse_milli(const char *s, int64_t *milli)
{
	struct quantity q;
	if (quantity_parse(s, &q, NULL) != OD_OK)
		return false;
	*milli = quantity_milli(&q);
	return true;
}

bool quantity_parse_value(const char *s, int64_t *value)
{
	struct quantity q;
	if (quantity_parse(s, &q, NULL) != OD_OK)
		return false;
	*value = quantity_value(&q);
	return true;
}

void quantity_format_cpu_milli(int64_t milli, char *out, size_t n)
{
	snprintf(out, n, "%lldm", (long long)milli);
}

void quantity_format_mem_mi(int64_t bytes, char *out, size_t n)
{
	snprintf(out, n, "%lldMi", (long long)(bytes / (1024 * 1024)));
}

void quantity_format_bytes(int64_t bytes, char *out, size_t n)
{
	static const char *const units[] = { "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	const char *sign = bytes < 0 ? "-" : "";
	uint64_t mag = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;
	int k = -1;
	uint64_t div = 1;

	while (k < 5 && mag >= div * 1024) {
		div *= 1024;
		k++;
	}
	if (k < 0) {
		snprintf(out, n, "%s%llu", sign, (unsigned long long)mag);
		return;
	}
	/* One decimal, rounded to nearest; drop ".0". */
	uint64_t tenths = mag / div * 10 + ((mag % div) * 10 + div / 2) / div;
	if (tenths % 10 == 0)
		snprintf(out, n, "%s%llu%s", sign, (unsigned long long)(tenths / 10), units[k]);
	else
		snprintf(out, n, "%s%llu.%llu%s", sign, (unsigned long long)(tenths / 10),
			 (unsigned long long)(tenths % 10), units[k]);
}
