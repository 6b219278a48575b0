#include "net/http_request.hpp"

namespace kurir::net {

namespace {

/// Finds the blank line that ends the head; returns where the head ends
/// (before it) or npos.
std::size_t head_end(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\n')
      continue;
    auto rest = bytes.substr(i + 1);
    if (rest.substr(0, 1) == "\n" || rest.substr(0, 2) == "\r\n")
      return i + 1;
  }
  return std::string_view::npos;
}

bool is_token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// Parses `METHOD SP TARGET SP HTTP/1.x` into `out`.
bool request_line(std::string_view line, http_head& out) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == 0 || sp2 == std::string_view::npos)
    return false;
  auto method = line.substr(0, sp1);
  auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto version = line.substr(sp2 + 1);
  for (char c : method)
    if (!is_token_char(c))
      return false;
  if (target.empty() || target[0] != '/' || version.size() != 8
      || version.substr(0, 7) != "HTTP/1." || version[7] < '0'
      || version[7] > '9')
    return false;
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return false;
  out.method = std::string{method};
  out.path = std::string{target.substr(0, target.find('?'))};
  out.minor = version[7] - '0';
  return true;
}

/// Every header line has a name and a colon; collects them into `out`.
/// Returns false for a malformed line.
bool header_lines(std::string_view headers, http_head& out) {
  while (!headers.empty()) {
    auto nl = headers.find('\n');
    auto line = headers.substr(0, nl);
    headers = nl == std::string_view::npos ? "" : headers.substr(nl + 1);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos)
      return false;
    std::string name;
    for (char c : line.substr(0, colon)) {
      if (!is_token_char(c) && !(c >= '0' && c <= '9') && c != '_')
        return false;
      name += lower(c);
    }
    out.headers.emplace_back(std::move(name),
                             std::string{trim(line.substr(colon + 1))});
  }
  return true;
}

/// Counts the lines of `headers` (each ends in LF, the last one may not).
std::size_t line_count(std::string_view headers) {
  std::size_t n = headers.empty() ? 0 : 1;
  for (char c : headers)
    n += c == '\n';
  return n;
}

} // namespace

http_head parse_http_head(std::string_view bytes, std::size_t limit) {
  http_head res;
  auto end = head_end(bytes.substr(0, limit + 2));
  if (end == std::string_view::npos || end > limit) {
    res.status
      = bytes.size() > limit ? http_status::too_large : http_status::incomplete;
    return res;
  }
  auto head = bytes.substr(0, end);
  auto nl = head.find('\n');
  auto headers = head.substr(nl + 1);
  if (!headers.empty())
    headers.remove_suffix(1); // the newline before the blank line
  if (line_count(headers) > max_http_headers) {
    res.status = http_status::too_large;
    return res;
  }
  if (!request_line(head.substr(0, nl), res) || !header_lines(headers, res)) {
    res = http_head{};
    res.status = http_status::bad;
    return res;
  }
  res.status = http_status::complete;
  res.size = end + (bytes[end] == '\r' ? 2 : 1);
  return res;
}

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

std::string_view http_head::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (k == name)
      return v;
  return {};
}

bool http_head::has_token(std::string_view name, std::string_view token) const {
  for (auto& [k, v] : headers) {
    if (k != name)
      continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      if (ascii_iequal(trim(rest.substr(0, comma)), token))
        return true;
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    }
  }
  return false;
}

std::string_view http_reason(int code) {
  switch (code) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 426: return "Upgrade Required";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

std::string http_response(int code, std::string_view content_type,
                          std::string_view body, bool head_only,
                          std::string_view extra_headers) {
  std::string res = "HTTP/1.1 " + std::to_string(code) + " ";
  res += http_reason(code);
  res += "\r\nContent-Type: ";
  res += content_type;
  res += "\r\nContent-Length: " + std::to_string(body.size());
  if (code == 405)
    res += "\r\nAllow: GET, HEAD";
  res += "\r\n";
  res += extra_headers; // each line ends in CRLF
  res += "Connection: close\r\n\r\n";
  if (!head_only)
    res += body;
  return res;
}

} // namespace kurir::net
