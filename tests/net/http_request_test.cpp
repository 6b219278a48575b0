// The metrics port's HTTP request parser: a pure function of the bytes so
// far, with its size cap checked first.

#include <catch2/catch.hpp>

#include <string>

#include "net/http_request.hpp"

using kurir::net::http_response;
using kurir::net::http_status;
using kurir::net::parse_http_head;

TEST_CASE("http: a complete GET, with headers, CRLF or LF", "[net][http]") {
  auto r = parse_http_head("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9\r\n"
                           "User-Agent: curl/7.88\r\nAccept: */*\r\n\r\n");
  CHECK(r.status == http_status::complete);
  CHECK(r.method == "GET");
  CHECK(r.path == "/metrics");
  auto lf = parse_http_head("HEAD /metrics?x=1 HTTP/1.0\nHost: a\n\n");
  CHECK(lf.status == http_status::complete);
  CHECK(lf.method == "HEAD");
  CHECK(lf.path == "/metrics"); // the query string is not part of the path
  CHECK(parse_http_head("GET / HTTP/1.1\r\n\r\n").status
        == http_status::complete);
}

TEST_CASE("http: incomplete until the blank line, byte by byte",
          "[net][http]") {
  std::string req = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  for (std::size_t n = 0; n < req.size(); ++n) {
    INFO(n);
    CHECK(parse_http_head(req.substr(0, n)).status == http_status::incomplete);
  }
  CHECK(parse_http_head(req).status == http_status::complete);
}

TEST_CASE("http: what is not an HTTP/1 request is bad", "[net][http]") {
  for (std::string bad :
       {"--login--|alice|pw;\n\n", "GET\r\n\r\n", "GET /metrics\r\n\r\n",
        "GET metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/2.0\r\n\r\n",
        "G\x01T /metrics HTTP/1.1\r\n\r\n", "GET /a b HTTP/1.1\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n",
        "GET /metrics HTTP/1.1\r\n: empty name\r\n\r\n", "\r\n\r\n"}) {
    INFO(bad);
    auto r = parse_http_head(bad);
    CHECK(r.status == http_status::bad);
    CHECK(r.path.empty());
  }
}

TEST_CASE("http: the head's size is capped before it is parsed",
          "[net][http]") {
  std::string big = "GET /metrics HTTP/1.1\r\nX-Pad: " + std::string(100, 'a');
  CHECK(parse_http_head(big, 64).status == http_status::too_large);
  CHECK(parse_http_head(big + "\r\n\r\n", 64).status == http_status::too_large);
  CHECK(parse_http_head(big + "\r\n\r\n", 4096).status
        == http_status::complete);
  // A head that ends right at the limit is still read.
  std::string exact = "GET / HTTP/1.1\r\n\r\n";
  CHECK(parse_http_head(exact, exact.size() - 2).status
        == http_status::complete);
}

TEST_CASE("http: responses close the connection and say their length",
          "[net][http]") {
  auto r = http_response(200, "text/plain", "hello\n");
  CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(r.find("Content-Length: 6\r\n") != std::string::npos);
  CHECK(r.find("Connection: close\r\n\r\nhello\n") != std::string::npos);
  auto head = http_response(200, "text/plain", "hello\n", true);
  CHECK(head.find("Content-Length: 6\r\n") != std::string::npos);
  CHECK(head.substr(head.size() - 4) == "\r\n\r\n");
  CHECK(http_response(405, "text/plain", "").find("Allow: GET, HEAD")
        != std::string::npos);
}
