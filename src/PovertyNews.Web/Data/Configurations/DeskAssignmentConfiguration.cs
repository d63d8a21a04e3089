using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class DeskAssignmentConfiguration : IEntityTypeConfiguration<DeskAssignment>
{
    public void Configure(EntityTypeBuilder<DeskAssignment> d)
    {
        // The key's first column is the user: every request asks "this person's channels", an index seek.
        d.HasKey(x => new { x.UserId, x.ChannelId });
        d.HasIndex(x => x.ChannelId);
        d.HasOne<NewsUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // Restrict: a deleted channel must hand its desks on (ChannelService), or its people would fall back to site-wide.
        d.HasOne<Channel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Restrict);
    }
}
