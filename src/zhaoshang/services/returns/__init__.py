"""A unit's weekly return (周报表): templates out, returns in, and who has reported."""
