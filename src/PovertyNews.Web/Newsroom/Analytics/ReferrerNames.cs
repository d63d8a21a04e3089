using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Newsroom.Analytics;

/// <summary>The names editors know the common sources of traffic by; any other host is shown as it is.</summary>
public static class ReferrerNames
{
    // By registrable domain: a host matches the domain itself or any host under it (m.baidu.com, www.baidu.com).
    private static readonly (string Domain, string Name)[] Known =
    [
        ("baidu.com", "百度"), ("so.com", "360 搜索"), ("sogou.com", "搜狗"), ("sm.cn", "神马搜索"),
        ("bing.com", "必应"), ("google.com", "谷歌"), ("google.com.hk", "谷歌"),
        ("weixin.qq.com", "微信"), ("qq.com", "腾讯"), ("weibo.com", "微博"), ("weibo.cn", "微博"),
        ("toutiao.com", "今日头条"), ("douyin.com", "抖音"), ("xiaohongshu.com", "小红书"),
        ("people.com.cn", "人民网"), ("xinhuanet.com", "新华网"), ("news.cn", "新华网"),
    ];

    public static string Label(string host)
    {
        switch (host)
        {
            case ReferrerHost.Direct:
                return "直接访问";
            case ReferrerHost.Internal:
                return "站内";
        }
        // The most specific domain wins: mp.weixin.qq.com is 微信, not 腾讯.
        var match = Known.Where(k => host == k.Domain || host.EndsWith("." + k.Domain, StringComparison.Ordinal))
            .OrderByDescending(k => k.Domain.Length).Select(k => k.Name).FirstOrDefault();
        return match is null ? host : $"{match}（{host}）";
    }
}
