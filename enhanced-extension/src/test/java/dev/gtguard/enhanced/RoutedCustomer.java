package dev.gtguard.enhanced;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;

/**
 * A {@link Customer} whose writes go to the region its {@code home_region} names; in a static
 * schema: {@code Customer.staticSchema(GlobalTableTags.homeRegion("home_region"))}.
 */
@DynamoDbBean
@HomeRegion(attribute = "home_region")
public class RoutedCustomer extends Customer {}
