/** Spring MVC problem details for gtguard's exceptions. */
package dev.gtguard.spring.web;
