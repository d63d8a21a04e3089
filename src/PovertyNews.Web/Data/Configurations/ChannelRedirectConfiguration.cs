using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class ChannelRedirectConfiguration : IEntityTypeConfiguration<ChannelRedirect>
{
    public void Configure(EntityTypeBuilder<ChannelRedirect> r)
    {
        r.Property(x => x.OldSlug).HasMaxLength(100);
        r.HasIndex(x => x.OldSlug).IsUnique();
    }
}
