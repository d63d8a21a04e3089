using System.Net;
using System.Net.Sockets;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Webhooks;

/// <summary>
/// Which addresses the server may be made to call. An administrator types the URL, but a webhook is still a request
/// the server makes on someone's say-so: by default only https to public addresses, checked when the URL is saved
/// and again on every connection (a name may resolve to a private address later).
/// </summary>
public static class WebhookAddresses
{
    /// <summary>百度's push API is served over plain http; its host is let through without <see cref="WebhookOptions.AllowHttp"/>.</summary>
    public const string BaiduPushHost = "data.zz.baidu.com";

    /// <summary>The Chinese refusal for a URL, or null when it may be registered.</summary>
    public static string? Refusal(string? url, WebhookKind kind, WebhookOptions options)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "请填写接收地址。";
        }
        if (url.Length > WebhookEndpoint.MaxUrlLength)
        {
            return $"接收地址不能超过 {WebhookEndpoint.MaxUrlLength} 个字符。";
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "接收地址须是以 https:// 开头的完整网址。";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "接收地址中不能包含用户名或密码。";
        }
        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "接收地址中不能包含 # 片段。";
        }
        var baidu = kind == WebhookKind.BaiduPush && uri.Host.Equals(BaiduPushHost, StringComparison.OrdinalIgnoreCase);
        if (uri.Scheme == "http" && !options.AllowHttp && !baidu)
        {
            return "接收地址须使用 https。";
        }
        if (!options.AllowPrivateAddresses && IsPrivateHost(uri.Host))
        {
            return "不能向本机或内网地址发送。";
        }
        return null;
    }

    private static bool IsPrivateHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IsPrivate(ip);

    /// <summary>Loopback, private (RFC 1918, unique local), link-local (cloud metadata at 169.254.169.254), CGNAT, unspecified.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224;
    }

    /// <summary>
    /// The sender's handler: connects only to public addresses (unless allowed), whatever the name resolved to, and
    /// follows no redirects (a 3xx is a failed attempt, not a way around the check).
    /// </summary>
    public static SocketsHttpHandler Handler(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = options.AllowPrivateAddresses ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to no public address");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
