/*
 * test_status.c: Status parsing and kubectl's wording for every way a request
 * can fail (401, Status with and without reason, non-Status bodies, refused,
 * unreachable, bad JSON).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opsdeck/status.h"

static void test_parse_status(void **state)
{
	struct kube_status st;
	struct err e;
	const char *body =
		"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
		"\"message\":\"pods \\\"x\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"x\",\"kind\":\"pods\"},\"code\":404}";

	(void)state;
	assert_int_equal(status_parse(body, strlen(body), &st, &e), OD_OK);
	assert_int_equal(st.code, 404);
	assert_string_equal(st.reason, "NotFound");
	assert_string_equal(st.status, "Failure");
	assert_string_equal(st.message, "pods \"x\" not found");

	assert_int_equal(status_parse("{\"kind\":\"Pod\"}", 14, &st, &e), OD_EPARSE);
	assert_int_equal(status_parse("{\"kind\":\"Sta", 12, &st, &e), OD_EPARSE);
	assert_int_equal(status_parse("", 0, &st, &e), OD_EPARSE);
	assert_int_equal(st.code, 0);
}

static void check_response(int code, const char *ctype, const char *body, const char *want,
			   enum od_status want_st)
{
	struct err e;
	struct kube_status st;

	assert_int_equal(status_error_from_response(code, ctype, body, body ? strlen(body) : 0, &st,
						    &e),
			 want_st);
	assert_string_equal(e.msg, want);
}

static void test_kubectl_wording(void **state)
{
	(void)state;
	check_response(401, "application/json",
		       "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}",
		       "error: You must be logged in to the server (Unauthorized)", OD_EPERM);
	check_response(403, "application/json",
		       "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods is forbidden: User \\\"x\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"y\\\"\",\"reason\":\"Forbidden\",\"code\":403}",
		       "Error from server (Forbidden): pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" in the namespace \"y\"",
		       OD_EPERM);
	check_response(404, "application/json",
		       "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"nope\\\" not found\",\"reason\":\"NotFound\",\"code\":404}",
		       "Error from server (NotFound): pods \"nope\" not found", OD_ENOENT);
	check_response(409, "application/json",
		       "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"conflict here\",\"code\":409}",
		       "Error from server: conflict here", OD_EHTTP);
	check_response(410, "application/json",
		       "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"too old resource version: 1 (5)\",\"reason\":\"Expired\",\"code\":410}",
		       "Error from server (Expired): too old resource version: 1 (5)", OD_EHTTP);
}

static void test_generic_responses(void **state)
{
	(void)state;
	/* no Status body: apimachinery's generic texts */
	check_response(401, "text/plain", "Unauthorized\n",
		       "error: You must be logged in to the server (the server has asked for the client to provide credentials)",
		       OD_EPERM);
	check_response(404, "text/plain; charset=utf-8", "404 page not found\n",
		       "Error from server (NotFound): the server could not find the requested resource",
		       OD_ENOENT);
	check_response(403, "text/plain", "forbidden: no way\n",
		       "Error from server (Forbidden): forbidden: no way", OD_EPERM);
	check_response(500, "text/plain", "boom \"x\"\n",
		       "Error from server (InternalError): an error on the server (\"boom \\\"x\\\"\") has prevented the request from succeeding",
		       OD_EHTTP);
	check_response(502, "application/json", "{\"not\":\"status\"}",
		       "Error from server (InternalError): an error on the server (\"unknown\") has prevented the request from succeeding",
		       OD_EHTTP);
	check_response(503, NULL, "",
		       "Error from server (ServiceUnavailable): the server is currently unable to handle the request",
		       OD_EHTTP);
	check_response(429, "text/plain", "slow down",
		       "Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later",
		       OD_EHTTP);
	check_response(418, "text/plain", "teapot",
		       "Error from server (Unknown): the server responded with the status code 418 but did not return more information",
		       OD_EHTTP);
	check_response(504, "text/plain", "",
		       "Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request",
		       OD_EHTTP);
}

static void test_transport_wording(void **state)
{
	struct err e;

	(void)state;
	assert_int_equal(status_error_refused("127.0.0.1:6443", &e), OD_EREFUSED);
	assert_string_equal(e.msg,
			    "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?");
	assert_int_equal(status_error_unreachable(OD_ENET, "Could not resolve host: nowhere", &e),
			 OD_ENET);
	assert_string_equal(e.msg, "Unable to connect to the server: Could not resolve host: nowhere");
}

static void test_bad_json(void **state)
{
	struct err e;
	const char *cut = "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"a\"";
	const char *junk = "{\"kind\":\"PodList\",]]]]]] \"items\":[]}";

	(void)state;
	assert_int_equal(status_error_bad_json("GET /api/v1/pods", cut, strlen(cut), &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "error: GET /api/v1/pods: truncated JSON from the server"));
	assert_int_equal(status_error_bad_json("GET /api/v1/pods", junk, strlen(junk), &e),
			 OD_EPARSE);
	assert_non_null(strstr(e.msg, "malformed JSON from the server at byte"));
	assert_int_equal(status_error_bad_json("GET /x", "", 0, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "empty response"));

	/* Cut mid-string, far from where the parser stops (the string's quote). */
	const char mid_string[] = "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"web-1\","
				  "\"annotations\":{\"note\":\"a long value with \\\"quotes\\\" that was cut";
	assert_int_equal(status_error_bad_json("GET /api/v1/pods", mid_string,
					       strlen(mid_string), &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "truncated JSON from the server"));
	/* Balanced but broken is malformed, not truncated; so is a stray closer. */
	const char balanced_junk[] = "{\"items\":[1,2,,3],\"kind\":\"PodList\"}";
	assert_int_equal(status_error_bad_json("GET /x", balanced_junk, strlen(balanced_junk), &e),
			 OD_EPARSE);
	assert_non_null(strstr(e.msg, "malformed JSON from the server at byte"));
	const char stray[] = "{\"a\":1]}{\"b\":[";
	assert_int_equal(status_error_bad_json("GET /x", stray, strlen(stray), &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "malformed JSON"));
}

static void test_long_message_is_cut(void **state)
{
	char body[4000];
	struct err e;
	struct kube_status st;

	(void)state;
	strcpy(body, "{\"kind\":\"Status\",\"reason\":\"Invalid\",\"code\":422,\"message\":\"");
	size_t n = strlen(body);
	memset(body + n, 'm', 3000);
	strcpy(body + n + 3000, "\"}");
	assert_int_equal(status_error_from_response(422, "application/json", body, strlen(body), &st,
						    &e),
			 OD_EHTTP);
	assert_int_equal(strlen(st.message), sizeof(st.message) - 1);
	assert_true(strncmp(e.msg, "Error from server (Invalid): mmm", 32) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_kubectl_wording),
		cmocka_unit_test(test_generic_responses),
		cmocka_unit_test(test_transport_wording),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_long_message_is_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
