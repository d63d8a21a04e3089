using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class SiteSettingsConfiguration : IEntityTypeConfiguration<SiteSettings>
{
    public void Configure(EntityTypeBuilder<SiteSettings> s)
    {
        s.Property(x => x.SiteName).HasMaxLength(100);
        s.Property(x => x.Tagline).HasMaxLength(200);
        s.Property(x => x.CopyrightNotice).HasMaxLength(2000);
        s.Property(x => x.CopyrightOwner).HasMaxLength(200);
        s.Property(x => x.IcpNumber).HasMaxLength(50);
        s.Property(x => x.PublicSecurityFilingNumber).HasMaxLength(50);
        s.Property(x => x.FooterLines).HasMaxLength(2000);
        s.Property(x => x.DefaultHotline).HasMaxLength(50);
        s.Property(x => x.DefaultWeChat).HasMaxLength(100);
        s.Property(x => x.Version).IsConcurrencyToken();
        s.Ignore(x => x.FooterLineList);
    }
}
