// The gateway's HTTP API (docs/openapi.yaml). Errors become ApiError with the gateway's message.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(path, { method = 'GET', body, contentType = 'application/octet-stream' } = {}) {
  const options = { method, headers: {}, credentials: 'same-origin' };
  if (body instanceof Blob) {
    // Files go as they are: pieces of a screen recording, an XML file to import, a resource file.
    options.headers['Content-Type'] = contentType;
    options.body = body;
  } else if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1/${path}`, options);
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data?.error?.code ?? 'http_error', data?.error?.message ?? response.statusText);
  }
  return data;
}
